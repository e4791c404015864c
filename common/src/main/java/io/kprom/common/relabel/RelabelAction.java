package io.kprom.common.relabel;

import java.util.Locale;

/** Relabeling actions, as Prometheus names them in YAML. */
public enum RelabelAction {
    REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE, UPPERCASE;

    /** Case-insensitive, as Prometheus accepts it. */
    public static RelabelAction parse(String text) {
        for (RelabelAction action : values()) {
            if (action.yamlName().equals(text.toLowerCase(Locale.ROOT))) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown relabel action \"" + text + "\"");
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

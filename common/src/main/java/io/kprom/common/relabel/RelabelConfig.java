package io.kprom.common.relabel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.kprom.common.config.ConfigException;
import io.kprom.common.config.YamlNode;
import java.util.List;
import java.util.Objects;

/**
 * One relabeling step ({@code relabel_configs}, {@code metric_relabel_configs}, ...), validated as
 * Prometheus validates it. The regex is kept as written and compiled fully anchored with
 * {@code (?s)}, so {@code .} also matches newlines. Immutable.
 */
public record RelabelConfig(List<String> sourceLabels, String separator, String regex, long modulus,
        String targetLabel, String replacement, RelabelAction action, Pattern pattern) {

    public static final String DEFAULT_SEPARATOR = ";";
    public static final String DEFAULT_REGEX = "(.*)";
    public static final String DEFAULT_REPLACEMENT = "$1";

    public RelabelConfig {
        sourceLabels = List.copyOf(sourceLabels);
        Objects.requireNonNull(action);
        if (pattern == null) {
            pattern = compile(regex);
        }
    }

    /** A config with Prometheus's defaults for the fields not given; throws IllegalArgumentException when invalid. */
    public static RelabelConfig of(RelabelAction action, List<String> sourceLabels, String regex, String targetLabel,
            String replacement) {
        RelabelConfig config = new RelabelConfig(sourceLabels, DEFAULT_SEPARATOR, regex == null ? DEFAULT_REGEX : regex,
                0, targetLabel == null ? "" : targetLabel, replacement == null ? DEFAULT_REPLACEMENT : replacement,
                action, null);
        String problem = config.validate();
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return config;
    }

    public static Pattern compile(String regex) {
        return Pattern.compile("^(?s:" + regex + ")$");
    }

    /** Binds and validates one YAML relabel config. */
    public static RelabelConfig fromYaml(YamlNode node) throws ConfigException {
        List<String> sources = node.stringList("source_labels");
        String separator = node.string("separator", DEFAULT_SEPARATOR);
        YamlNode regexNode = node.get("regex");
        String regex = regexNode == null ? (node.has("regex") ? "" : DEFAULT_REGEX) : regexNode.scalar();
        long modulus = node.integer("modulus", 0);
        String target = node.string("target_label", "");
        String replacement = node.string("replacement", DEFAULT_REPLACEMENT);
        YamlNode actionNode = node.get("action");
        RelabelAction action = actionNode == null ? RelabelAction.REPLACE : actionNode.parseScalar(RelabelAction::parse);
        node.rejectUnknownFields();
        Pattern pattern;
        try {
            pattern = compile(regex);
        } catch (PatternSyntaxException e) {
            throw (regexNode == null ? node : regexNode).error("error parsing regexp: " + e.getDescription());
        }
        RelabelConfig config = new RelabelConfig(sources, separator, regex, modulus, target, replacement, action, pattern);
        String problem = config.validate();
        if (problem != null) {
            throw node.error(problem);
        }
        return config;
    }

    /** Prometheus's validation; null when valid, else the message. */
    String validate() {
        if (modulus == 0 && action == RelabelAction.HASHMOD) {
            return "relabel configuration for hashmod requires non-zero modulus";
        }
        boolean needsTarget = switch (action) {
            case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
            default -> false;
        };
        if (needsTarget && targetLabel.isEmpty()) {
            return "relabel configuration for " + action.yamlName() + " action requires 'target_label' value";
        }
        boolean fixedTarget = switch (action) {
            case HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
            default -> false;
        };
        if (fixedTarget && (targetLabel.contains("$") || !validUtf8Name(targetLabel))) {
            return "\"" + targetLabel + "\" is invalid 'target_label' for " + action.yamlName() + " action";
        }
        if ((action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE
                || action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL)
                && !replacement.equals(DEFAULT_REPLACEMENT)) {
            return "'replacement' can not be set for " + action.yamlName() + " action";
        }
        if (action == RelabelAction.LABELMAP && replacement.isEmpty()) {
            return "\"" + replacement + "\" is invalid 'replacement' for labelmap action";
        }
        if ((action == RelabelAction.DROPEQUAL || action == RelabelAction.KEEPEQUAL)
                && (!regex.equals(DEFAULT_REGEX) || modulus != 0 || !separator.equals(DEFAULT_SEPARATOR))) {
            return action.yamlName() + " action requires only 'source_labels' and `target_label`, and no other fields";
        }
        if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
                && (!sourceLabels.isEmpty() || !targetLabel.isEmpty() || modulus != 0
                || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT))) {
            return action.yamlName() + " action requires only 'regex', and no other fields";
        }
        return null;
    }

    /** Prometheus 3.x (UTF-8 names): any non-empty valid UTF-8 string is a label name. */
    static boolean validUtf8Name(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}

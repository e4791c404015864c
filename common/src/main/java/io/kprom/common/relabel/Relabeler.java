package io.kprom.common.relabel;

import com.google.re2j.Matcher;
import io.kprom.common.labels.Labels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Applies relabel configs in order with Prometheus's semantics (model/relabel). Stateless and
 * thread-safe.
 *
 * <pre>{@code
 * Labels out = Relabeler.process(target, scrapeConfig.relabelConfigs());
 * if (out == null) { ... dropped ... }
 * }</pre>
 */
public final class Relabeler {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Relabeler() {
    }

    /** The relabeled labels, or null when a keep/drop step dropped them. */
    public static Labels process(Labels labels, List<RelabelConfig> configs) {
        if (configs.isEmpty()) {
            return labels;
        }
        Labels.Builder builder = labels.toBuilder();
        for (RelabelConfig config : configs) {
            if (!apply(config, builder)) {
                return null;
            }
        }
        return builder.build();
    }

    /** Applies one step to a builder; false when the label set is dropped. */
    public static boolean apply(RelabelConfig config, Labels.Builder builder) {
        String value = sourceValue(config, builder);
        switch (config.action()) {
            case DROP -> {
                if (config.pattern().matches(value)) {
                    return false;
                }
            }
            case KEEP -> {
                if (!config.pattern().matches(value)) {
                    return false;
                }
            }
            case DROPEQUAL -> {
                if (nullToEmpty(builder.get(config.targetLabel())).equals(value)) {
                    return false;
                }
            }
            case KEEPEQUAL -> {
                if (!nullToEmpty(builder.get(config.targetLabel())).equals(value)) {
                    return false;
                }
            }
            case REPLACE -> replace(config, builder, value);
            case LOWERCASE -> builder.set(config.targetLabel(), value.toLowerCase(Locale.ROOT));
            case UPPERCASE -> builder.set(config.targetLabel(), value.toUpperCase(Locale.ROOT));
            case HASHMOD -> builder.set(config.targetLabel(), Long.toUnsignedString(
                    Long.remainderUnsigned(hashmodHash(value), config.modulus())));
            case LABELMAP -> {
                Labels snapshot = builder.build();
                for (int i = 0; i < snapshot.size(); i++) {
                    Matcher m = config.pattern().matcher(snapshot.name(i));
                    if (m.matches()) {
                        String name = expand(config.replacement(), m);
                        builder.set(name, snapshot.value(i));
                    }
                }
            }
            case LABELDROP, LABELKEEP -> {
                Labels snapshot = builder.build();
                boolean dropMatching = config.action() == RelabelAction.LABELDROP;
                for (int i = 0; i < snapshot.size(); i++) {
                    if (config.pattern().matches(snapshot.name(i)) == dropMatching) {
                        builder.remove(snapshot.name(i));
                    }
                }
            }
            default -> throw new IllegalStateException("unknown relabel action " + config.action());
        }
        return true;
    }

    private static void replace(RelabelConfig config, Labels.Builder builder, String value) {
        Matcher m = config.pattern().matcher(value);
        if (!m.matches()) {
            return;
        }
        String target = expand(config.targetLabel(), m);
        if (!RelabelConfig.validUtf8Name(target)) {
            return;
        }
        String result = expand(config.replacement(), m);
        if (result.isEmpty()) {
            builder.remove(target);
        } else {
            builder.set(target, result);
        }
    }

    private static String sourceValue(RelabelConfig config, Labels.Builder builder) {
        List<String> sources = config.sourceLabels();
        if (sources.size() == 1) {
            return nullToEmpty(builder.get(sources.get(0)));
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sources.size(); i++) {
            if (i > 0) {
                sb.append(config.separator());
            }
            sb.append(nullToEmpty(builder.get(sources.get(i))));
        }
        return sb.toString();
    }

    /** Last 8 bytes of the MD5 of the value, big-endian, as Prometheus's hashmod uses. */
    static long hashmodHash(String value) {
        MessageDigest md5 = MD5.get();
        md5.reset();
        byte[] digest = md5.digest(value.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest, 8, 8).getLong();
    }

    /**
     * Go's regexp Expand: {@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$};
     * {@code $name} takes the longest run of letters, digits and underscores; unknown groups expand
     * to nothing; a {@code $} not followed by a name is kept. Shared with PromQL's {@code label_replace}.
     */
    public static String expand(String template, Matcher m) {
        if (template.indexOf('$') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c != '$' || i + 1 >= template.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = template.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
                continue;
            }
            String name;
            int end;
            if (next == '{') {
                int close = template.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 2, close);
                end = close + 1;
                if (name.isEmpty() || !isNameRun(name)) {
                    out.append(c);
                    i++;
                    continue;
                }
            } else {
                int j = i + 1;
                while (j < template.length() && isNameChar(template.charAt(j))) {
                    j++;
                }
                if (j == i + 1) {
                    out.append(c);
                    i++;
                    continue;
                }
                name = template.substring(i + 1, j);
                end = j;
            }
            out.append(group(m, name));
            i = end;
        }
        return out.toString();
    }

    private static String group(Matcher m, String name) {
        boolean numeric = true;
        for (int k = 0; k < name.length(); k++) {
            if (!Character.isDigit(name.charAt(k))) {
                numeric = false;
                break;
            }
        }
        try {
            String g;
            if (numeric) {
                int index = Integer.parseInt(name);
                if (index > m.groupCount()) {
                    return "";
                }
                g = m.group(index);
            } else {
                g = m.group(name);
            }
            return g == null ? "" : g;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return "";
        }
    }

    private static boolean isNameRun(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (!isNameChar(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

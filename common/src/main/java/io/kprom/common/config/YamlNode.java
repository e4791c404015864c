package io.kprom.common.config;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML node with its file, line and field path, for strict binding of configuration files:
 * every error names file:line:field, and a mapping reports keys nobody read as unknown fields
 * (as Prometheus's strict YAML decoding does). Not thread-safe; used during one load.
 */
public final class YamlNode {
    private final String file;
    private final String path;
    private final Node node;
    private final Set<String> consumed = new LinkedHashSet<>();
    private Map<String, NodeTuple> entries;

    private YamlNode(String file, String path, Node node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    /** Parses a whole document; an empty document is an empty mapping. */
    public static YamlNode parse(String yaml, String file) throws ConfigException {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setCodePointLimit(64 * 1024 * 1024);
            Node root = new Yaml(options).compose(new StringReader(yaml));
            return new YamlNode(file, "", root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ConfigException(file, line, null, "invalid YAML: " + e.getProblem());
        } catch (RuntimeException e) {
            throw new ConfigException(file, 0, null, "invalid YAML: " + e.getMessage());
        }
    }

    public String file() {
        return file;
    }

    public String path() {
        return path;
    }

    public int line() {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    public boolean isNull() {
        return node == null || node instanceof ScalarNode s && "tag:yaml.org,2002:null".equals(s.getTag().getValue());
    }

    public ConfigException error(String problem) {
        return new ConfigException(file, line(), path, problem);
    }

    private Map<String, NodeTuple> entries() throws ConfigException {
        if (entries == null) {
            entries = new LinkedHashMap<>();
            if (isNull()) {
                return entries;
            }
            if (!(node instanceof MappingNode mapping)) {
                throw error("expected a mapping, got " + describe());
            }
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw new ConfigException(file, tuple.getKeyNode().getStartMark().getLine() + 1, path,
                            "mapping keys must be strings");
                }
                if (entries.put(key.getValue(), tuple) != null) {
                    throw new ConfigException(file, key.getStartMark().getLine() + 1, child(key.getValue()),
                            "mapping key \"" + key.getValue() + "\" already defined");
                }
            }
        }
        return entries;
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String describe() {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return node instanceof ScalarNode s ? "\"" + s.getValue() + "\"" : "nothing";
    }

    /** The child under key, or null when absent or explicitly null. Marks the key as known. */
    public YamlNode get(String key) throws ConfigException {
        consumed.add(key);
        NodeTuple tuple = entries().get(key);
        if (tuple == null) {
            return null;
        }
        YamlNode child = new YamlNode(file, child(key), tuple.getValueNode());
        return child.isNull() ? null : child;
    }

    public boolean has(String key) throws ConfigException {
        return entries().containsKey(key);
    }

    /** Fails on the first key of this mapping that no {@link #get} asked for. */
    public void rejectUnknownFields() throws ConfigException {
        for (Map.Entry<String, NodeTuple> entry : entries().entrySet()) {
            if (!consumed.contains(entry.getKey())) {
                Node key = entry.getValue().getKeyNode();
                throw new ConfigException(file, key.getStartMark().getLine() + 1, child(entry.getKey()),
                        "field " + entry.getKey() + " not found" + suggestion(entry.getKey()));
            }
        }
    }

    private String suggestion(String unknown) {
        String best = null;
        int bestDistance = 3;
        for (String known : consumed) {
            int d = editDistance(unknown, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The scalar text of this node. */
    public String scalar() throws ConfigException {
        if (!(node instanceof ScalarNode s)) {
            throw error("expected a single value, got " + describe());
        }
        return s.getValue();
    }

    public String string(String key, String defaultValue) throws ConfigException {
        YamlNode child = get(key);
        return child == null ? defaultValue : child.scalar();
    }

    public boolean bool(String key, boolean defaultValue) throws ConfigException {
        YamlNode child = get(key);
        if (child == null) {
            return defaultValue;
        }
        String v = child.scalar();
        return switch (v) {
            case "true", "True", "TRUE" -> true;
            case "false", "False", "FALSE" -> false;
            default -> throw child.error("cannot unmarshal \"" + v + "\" into a boolean (use true or false)");
        };
    }

    public long integer(String key, long defaultValue) throws ConfigException {
        YamlNode child = get(key);
        if (child == null) {
            return defaultValue;
        }
        String v = child.scalar();
        try {
            long parsed = Long.parseLong(v);
            if (parsed < 0) {
                throw child.error("must not be negative, got " + v);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw child.error("cannot unmarshal \"" + v + "\" into an integer");
        }
    }

    public double number(String key, double defaultValue) throws ConfigException {
        YamlNode child = get(key);
        if (child == null) {
            return defaultValue;
        }
        String v = child.scalar();
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw child.error("cannot unmarshal \"" + v + "\" into a number");
        }
    }

    public Duration duration(String key, Duration defaultValue) throws ConfigException {
        YamlNode child = get(key);
        if (child == null) {
            return defaultValue;
        }
        try {
            return PromDuration.parse(child.scalar());
        } catch (IllegalArgumentException e) {
            throw child.error(e.getMessage());
        }
    }

    public long size(String key, long defaultValue) throws ConfigException {
        YamlNode child = get(key);
        if (child == null) {
            return defaultValue;
        }
        try {
            return PromSize.parse(child.scalar());
        } catch (IllegalArgumentException e) {
            throw child.error(e.getMessage());
        }
    }

    /** Elements of a list (empty when absent). */
    public List<YamlNode> list(String key) throws ConfigException {
        YamlNode child = get(key);
        return child == null ? List.of() : child.elements();
    }

    public List<YamlNode> elements() throws ConfigException {
        if (!(node instanceof SequenceNode seq)) {
            throw error("expected a list, got " + describe());
        }
        List<YamlNode> result = new ArrayList<>(seq.getValue().size());
        int i = 0;
        for (Node element : seq.getValue()) {
            result.add(new YamlNode(file, path + "[" + i++ + "]", element));
        }
        return result;
    }

    public List<String> stringList(String key) throws ConfigException {
        List<String> result = new ArrayList<>();
        for (YamlNode element : list(key)) {
            result.add(element.scalar());
        }
        return result;
    }

    /** A mapping of string to string (e.g. labels, headers); empty when absent. */
    public Map<String, String> stringMap(String key) throws ConfigException {
        YamlNode child = get(key);
        Map<String, String> result = new LinkedHashMap<>();
        if (child == null) {
            return result;
        }
        for (Map.Entry<String, NodeTuple> entry : child.entries().entrySet()) {
            YamlNode value = new YamlNode(file, child.child(entry.getKey()), entry.getValue().getValueNode());
            result.put(entry.getKey(), value.isNull() ? "" : value.scalar());
        }
        return result;
    }

    /** Keys of this mapping, in file order. */
    public Set<String> keys() throws ConfigException {
        return entries().keySet();
    }

    /** Binds each list element with the binder, which must consume and check its fields. */
    public <T> List<T> bindList(String key, Binder<T> binder) throws ConfigException {
        List<T> result = new ArrayList<>();
        for (YamlNode element : list(key)) {
            result.add(binder.bind(element));
        }
        return result;
    }

    /** Binding of one node to a value; may throw ConfigException. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind(YamlNode node) throws ConfigException;
    }

    /** Applies a parse function to a scalar, turning IllegalArgumentException into a located error. */
    public <T> T parseScalar(Function<String, T> parser) throws ConfigException {
        try {
            return parser.apply(scalar());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}

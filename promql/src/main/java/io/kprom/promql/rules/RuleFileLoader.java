package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.template.TemplateException;
import io.kprom.promql.rules.template.GoTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads and validates Prometheus rule files the way {@code promtool check rules} does: unknown
 * fields, empty or repeated group names, rules with both or neither of {@code record}/{@code alert},
 * bad expressions, bad metric/label/annotation names, misplaced fields, templates that do not parse
 * (including unknown template functions). All problems of a file are reported together, each
 * naming the file and the group and rule.
 *
 * <pre>{@code
 * List<RuleGroupSpec> groups = RuleFileLoader.standard().load(Path.of("rules.yml"));
 * }</pre>
 *
 * Thread-safe and stateless.
 */
public final class RuleFileLoader {
    static final Pattern LABEL_NAME = Pattern.compile("^[a-zA-Z_][a-zA-Z0-9_]*$");
    static final Pattern METRIC_NAME = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*$");
    private static final Set<String> GROUP_FIELDS = Set.of("name", "interval", "query_offset", "limit", "rules", "labels");
    private static final Set<String> RULE_FIELDS = Set.of("record", "alert", "expr", "for", "keep_firing_for",
            "labels", "annotations");

    private final ExpressionChecker expressionChecker;

    public RuleFileLoader(ExpressionChecker expressionChecker) {
        this.expressionChecker = expressionChecker;
    }

    /** A loader that checks expressions with kprom's PromQL parser. */
    public static RuleFileLoader standard() {
        return new RuleFileLoader(PromqlExpressionChecker.INSTANCE);
    }

    /** Loads every file in order; throws with the errors of all files when any is bad. */
    public List<RuleGroupSpec> loadAll(List<Path> files) throws RuleLoadException {
        List<RuleGroupSpec> groups = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                groups.addAll(load(file));
            } catch (RuleLoadException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleLoadException(errors);
        }
        return groups;
    }

    public List<RuleGroupSpec> load(Path file) throws RuleLoadException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleLoadException(List.of(file + ": " + e.getMessage()));
        }
        return parse(file, text);
    }

    /** Parses rule-file text; {@code file} only names the source in errors and group keys. */
    public List<RuleGroupSpec> parse(Path file, String text) throws RuleLoadException {
        List<String> errors = new ArrayList<>();
        YamlNode root;
        try {
            root = YamlNode.parse(text);
        } catch (IOException e) {
            throw new RuleLoadException(List.of(file + ": yaml: " + firstLine(e.getMessage())));
        }
        List<RuleGroupSpec> groups = new ArrayList<>();
        if (root == null || root instanceof YamlNode.Scalar scalar && scalar.isNull()) {
            return groups;
        }
        if (!(root instanceof YamlNode.Mapping rootMap)) {
            throw new RuleLoadException(List.of(file + ": yaml: line " + root.line()
                    + ": cannot unmarshal a non-mapping into rule groups"));
        }
        for (String key : rootMap.entries().keySet()) {
            if (!key.equals("groups")) {
                errors.add(file + ": yaml: unmarshal errors:\n  line " + rootMap.keyLines().get(key) + ": field " + key
                        + " not found in rule file");
            }
        }
        YamlNode groupsNode = rootMap.get("groups");
        if (groupsNode != null && !(groupsNode instanceof YamlNode.Scalar s && s.isNull())) {
            if (!(groupsNode instanceof YamlNode.Sequence groupList)) {
                errors.add(file + ": yaml: line " + groupsNode.line() + ": groups must be a list");
            } else {
                Set<String> names = new HashSet<>();
                for (YamlNode groupNode : groupList.items()) {
                    RuleGroupSpec group = parseGroup(file, groupNode, names, errors);
                    if (group != null) {
                        groups.add(group);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleLoadException(errors);
        }
        return groups;
    }

    private RuleGroupSpec parseGroup(Path file, YamlNode node, Set<String> names, List<String> errors) {
        if (!(node instanceof YamlNode.Mapping group)) {
            errors.add(file + ": yaml: line " + node.line() + ": a group must be a mapping");
            return null;
        }
        if (!unknownFields(file, group, GROUP_FIELDS, "group", errors)) {
            return null;
        }
        String name = scalar(group.get("name"));
        if (name == null || name.isEmpty()) {
            errors.add(file + ": " + group.line() + ":" + group.column() + ": Groupname must not be empty");
            name = "";
        } else if (!names.add(name)) {
            errors.add(file + ": " + group.line() + ":" + group.column() + ": groupname: \"" + name
                    + "\" is repeated in the same file");
        }
        String where = file + ": group \"" + name + "\"";
        Duration interval = duration(group.get("interval"), where + ": interval", errors);
        Duration queryOffset = duration(group.get("query_offset"), where + ": query_offset", errors);
        int limit = 0;
        String limitText = scalar(group.get("limit"));
        if (limitText != null && !limitText.isEmpty()) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                errors.add(where + ": limit: not an integer: " + limitText);
            }
        }
        Map<String, String> groupLabels = stringMap(group.get("labels"), where + ": labels", errors);
        for (Map.Entry<String, String> label : groupLabels.entrySet()) {
            if (!LABEL_NAME.matcher(label.getKey()).matches() || label.getKey().equals(Labels.METRIC_NAME)) {
                errors.add(file + ": invalid label name: " + label.getKey());
            }
        }
        Labels groupLabelSet = Labels.fromMap(groupLabels);
        List<RuleSpec> rules = new ArrayList<>();
        YamlNode rulesNode = group.get("rules");
        if (rulesNode instanceof YamlNode.Sequence ruleList) {
            int index = 0;
            for (YamlNode ruleNode : ruleList.items()) {
                index++;
                RuleSpec rule = parseRule(file, name, index, ruleNode, groupLabelSet, errors);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        } else if (rulesNode != null && !(rulesNode instanceof YamlNode.Scalar s && s.isNull())) {
            errors.add(where + ": rules must be a list");
        }
        if (interval != null && interval.isNegative() || interval != null && interval.isZero()) {
            interval = null;
        }
        return new RuleGroupSpec(file, name, interval, queryOffset, limit, groupLabelSet, rules);
    }

    private RuleSpec parseRule(Path file, String group, int index, YamlNode node, Labels groupLabels,
            List<String> errors) {
        if (!(node instanceof YamlNode.Mapping rule)) {
            errors.add(file + ": yaml: line " + node.line() + ": a rule must be a mapping");
            return null;
        }
        if (!unknownFields(file, rule, RULE_FIELDS, "rule", errors)) {
            return null;
        }
        String record = nonEmpty(scalar(rule.get("record")));
        String alert = nonEmpty(scalar(rule.get("alert")));
        String expr = nonEmpty(scalar(rule.get("expr")));
        String ruleName = alert != null ? alert : record != null ? record : "";
        int before = errors.size();
        String prefix = file + ": ";
        String suffix = "group \"" + group + "\", rule " + index + ", \"" + goQuote(ruleName) + "\": ";
        YamlNode recordNode = rule.get("record") != null ? rule.get("record") : rule;
        YamlNode exprNode = rule.get("expr") != null ? rule.get("expr") : rule;
        if (record != null && alert != null) {
            errors.add(prefix + at(rule.get("record")) + at(rule.get("alert")) + suffix
                    + "only one of 'record' and 'alert' must be set");
        }
        if (record == null && alert == null) {
            errors.add(prefix + "0:0: 0:0: " + suffix + "one of 'record' or 'alert' must be set");
        }
        if (expr == null) {
            errors.add(prefix + (rule.get("expr") == null ? "0:0: " : at(exprNode)) + suffix
                    + "field 'expr' must be set in rule");
        } else {
            try {
                expressionChecker.check(expr);
            } catch (IllegalArgumentException e) {
                errors.add(prefix + at(exprNode) + suffix + "could not parse expression: " + e.getMessage());
            }
        }
        Duration hold = duration(rule.get("for"), prefix + suffix + "for", errors);
        Duration keepFiring = duration(rule.get("keep_firing_for"), prefix + suffix + "keep_firing_for", errors);
        Map<String, String> labels = stringMap(rule.get("labels"), prefix + suffix + "labels", errors);
        Map<String, String> annotations = stringMap(rule.get("annotations"), prefix + suffix + "annotations", errors);
        if (record != null) {
            if (!annotations.isEmpty()) {
                errors.add(prefix + at(recordNode) + suffix + "invalid field 'annotations' in recording rule");
            }
            if (hold != null && !hold.isZero()) {
                errors.add(prefix + at(recordNode) + suffix + "invalid field 'for' in recording rule");
            }
            if (keepFiring != null && !keepFiring.isZero()) {
                errors.add(prefix + at(recordNode) + suffix + "invalid field 'keep_firing_for' in recording rule");
            }
            if (!METRIC_NAME.matcher(record).matches()) {
                errors.add(prefix + at(recordNode) + suffix + "invalid recording rule name: " + record);
            }
        }
        for (String labelName : labels.keySet()) {
            if (!LABEL_NAME.matcher(labelName).matches() || labelName.equals(Labels.METRIC_NAME)) {
                errors.add(prefix + suffix + "invalid label name: " + labelName);
            }
        }
        for (String annotationName : annotations.keySet()) {
            if (!LABEL_NAME.matcher(annotationName).matches()) {
                errors.add(prefix + suffix + "invalid annotation name: " + annotationName);
            }
        }
        if (alert != null) {
            checkTemplates(labels, "label", alert, prefix + suffix, errors);
            checkTemplates(annotations, "annotation", alert, prefix + suffix, errors);
        }
        if (errors.size() > before) {
            return null;
        }
        Labels merged = groupLabels.toBuilder().setAll(Labels.fromMap(labels)).build();
        if (record != null) {
            return new RuleSpec.Recording(record, expr, merged);
        }
        return new RuleSpec.Alerting(alert, expr, hold == null ? Duration.ZERO : hold,
                keepFiring == null ? Duration.ZERO : keepFiring, merged, annotations);
    }

    private static void checkTemplates(Map<String, String> templates, String kind, String alert, String where,
            List<String> errors) {
        for (Map.Entry<String, String> entry : templates.entrySet()) {
            try {
                GoTemplate.parse("__alert_" + alert, entry.getValue());
            } catch (TemplateException e) {
                errors.add(where + kind + " \"" + goQuote(entry.getKey()) + "\": " + e.getMessage());
            }
        }
    }

    private static boolean unknownFields(Path file, YamlNode.Mapping mapping, Set<String> known, String what,
            List<String> errors) {
        boolean ok = true;
        for (String key : mapping.entries().keySet()) {
            if (!known.contains(key)) {
                errors.add(file + ": yaml: unmarshal errors:\n  line " + mapping.keyLines().get(key) + ": field " + key
                        + " not found in " + what);
                ok = false;
            }
        }
        return ok;
    }

    private static Duration duration(YamlNode node, String where, List<String> errors) {
        String text = scalar(node);
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return PromDurations.parse(text);
        } catch (IllegalArgumentException e) {
            errors.add(where + ": " + e.getMessage());
            return null;
        }
    }

    private static Map<String, String> stringMap(YamlNode node, String where, List<String> errors) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node instanceof YamlNode.Scalar s && s.isNull()) {
            return map;
        }
        if (!(node instanceof YamlNode.Mapping mapping)) {
            errors.add(where + ": line " + node.line() + ": must be a mapping of strings");
            return map;
        }
        for (Map.Entry<String, YamlNode> entry : mapping.entries().entrySet()) {
            if (entry.getValue() instanceof YamlNode.Scalar scalar) {
                map.put(entry.getKey(), scalar.isNull() ? "" : scalar.text());
            } else {
                errors.add(where + ": line " + entry.getValue().line() + ": value of " + entry.getKey()
                        + " must be a string");
            }
        }
        return map;
    }

    private static String scalar(YamlNode node) {
        if (node instanceof YamlNode.Scalar scalar) {
            return scalar.isNull() ? null : scalar.text();
        }
        return node == null ? null : "";
    }

    private static String nonEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    private static String at(YamlNode node) {
        return node == null ? "0:0: " : node.line() + ":" + node.column() + ": ";
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }

    /** Escapes as Go's %q would for the printable ASCII cases rule names use. */
    static String goQuote(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}

package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.Value;
import io.kprom.promql.rules.template.GoFormat;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.SampleArrays;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * {@code kprom test rules FILE...}: runs promtool's rule unit-test files ({@code rule_files},
 * {@code evaluation_interval}, {@code group_eval_order}, {@code tests} with {@code interval},
 * {@code input_series} in expanding notation, {@code alert_rule_test} and {@code promql_expr_test})
 * with promtool's output and exit codes: stdout {@code Unit Testing:  FILE} then {@code   SUCCESS}
 * or, on stderr, {@code   FAILED:} and promtool-worded failures; exit 0 when all pass, 1 otherwise.
 *
 * <pre>{@code
 * int exitCode = RuleUnitTester.run(List.of(Path.of("tests.yml")), System.out, System.err);
 * }</pre>
 *
 * Rules are evaluated from time 0 to the latest {@code eval_time} every {@code evaluation_interval},
 * groups in {@code group_eval_order}; alerts are compared at the evaluation covering each
 * {@code eval_time}; only firing alerts count, as in promtool.
 */
public final class RuleUnitTester {
    public static final int SUCCESS = 0;
    public static final int FAILURE = 1;

    private static final java.util.Set<String> FILE_FIELDS = java.util.Set.of("rule_files", "evaluation_interval",
            "group_eval_order", "tests", "fuzzy_compare");
    private static final java.util.Set<String> TEST_FIELDS = java.util.Set.of("name", "interval", "input_series",
            "alert_rule_test", "promql_expr_test", "external_labels", "external_url");

    private final QueryEngine engine;

    private RuleUnitTester(QueryEngine engine) {
        this.engine = engine;
    }

    public static int run(List<Path> files, PrintStream out, PrintStream err) {
        return run(files, new PromqlEngine(), out, err);
    }

    /** As {@link #run(List, PrintStream, PrintStream)} with a chosen engine. */
    public static int run(List<Path> files, QueryEngine engine, PrintStream out, PrintStream err) {
        for (Path file : files) {
            if (!Files.exists(file)) {
                err.println("kprom: error: path '" + file + "' does not exist, try --help");
                return FAILURE;
            }
        }
        RuleUnitTester tester = new RuleUnitTester(engine);
        boolean failed = false;
        for (Path file : files) {
            out.println("Unit Testing:  " + file);
            List<String> errors = tester.testFile(file, err);
            if (errors.isEmpty()) {
                out.println("  SUCCESS");
            } else {
                err.println("  FAILED:");
                for (String error : errors) {
                    err.println(error);
                    out.println();
                }
                failed = true;
            }
            out.println();
        }
        return failed ? FAILURE : SUCCESS;
    }

    private List<String> testFile(Path file, PrintStream err) {
        YamlNode.Mapping root;
        try {
            YamlNode node = YamlNode.parse(Files.readString(file, StandardCharsets.UTF_8));
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof YamlNode.Mapping mapping)) {
                return List.of("yaml: line " + node.line() + ": cannot unmarshal into a unit test file");
            }
            root = mapping;
        } catch (IOException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
        List<String> errors = new ArrayList<>();
        unknownFields(root, FILE_FIELDS, "unitTestFile", errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        try {
            Duration evaluationInterval = duration(root.get("evaluation_interval"), Duration.ofMinutes(1));
            List<Path> ruleFiles = resolveRuleFiles(file, strings(root.get("rule_files")), err);
            Map<String, Integer> order = new HashMap<>();
            for (String groupName : strings(root.get("group_eval_order"))) {
                if (order.put(groupName, order.size()) != null) {
                    return List.of("group name repeated in evaluation order: " + groupName);
                }
            }
            YamlNode tests = root.get("tests");
            if (tests instanceof YamlNode.Sequence list) {
                for (YamlNode test : list.items()) {
                    errors.addAll(runTestGroup(test, evaluationInterval, order, ruleFiles));
                }
            }
        } catch (IllegalArgumentException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
        return errors;
    }

    private List<String> runTestGroup(YamlNode node, Duration evaluationInterval, Map<String, Integer> order,
            List<Path> ruleFiles) {
        if (!(node instanceof YamlNode.Mapping test)) {
            return List.of("yaml: line " + node.line() + ": a test group must be a mapping");
        }
        List<String> errors = new ArrayList<>();
        unknownFields(test, TEST_FIELDS, "testGroup", errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        String name = scalar(test.get("name"));
        String namePrefix = name == null || name.isEmpty() ? "" : "    name: " + name + ",\n";
        long seriesInterval = duration(test.get("interval"), evaluationInterval).toMillis();
        Labels externalLabels = Labels.fromMap(stringMap(test.get("external_labels")));
        String externalUrl = Objects.requireNonNullElse(scalar(test.get("external_url")), "");

        TestStorage storage = new TestStorage();
        YamlNode inputs = test.get("input_series");
        if (inputs instanceof YamlNode.Sequence list) {
            for (YamlNode input : list.items()) {
                YamlNode.Mapping series = (YamlNode.Mapping) input;
                String line = Objects.requireNonNullElse(scalar(series.get("series")), "") + " "
                        + Objects.requireNonNullElse(scalar(series.get("values")), "");
                int[] end = new int[1];
                Labels labels = SeriesNotation.parseMetricPrefix(line, end);
                List<SeriesNotation.Point> points = SeriesNotation.expand(line.substring(end[0]));
                for (int i = 0; i < points.size(); i++) {
                    if (!points.get(i).omitted()) {
                        storage.append(labels, i * seriesInterval, points.get(i).value());
                    }
                }
            }
        }

        List<RuleGroupSpec> specs;
        try {
            specs = RuleFileLoader.standard().loadAll(ruleFiles);
        } catch (RuleLoadException e) {
            return e.errors();
        }
        List<RuleGroup> groups = new ArrayList<>();
        QueryFunction query = QueryFunction.of(engine, storage.querier, QueryOptions.defaults());
        for (RuleGroupSpec spec : specs) {
            groups.add(RuleGroup.builder(spec).defaultInterval(evaluationInterval).queryFunction(query)
                    .appender(storage::append).externalLabels(externalLabels).externalUrl(externalUrl).build());
        }
        groups.sort(Comparator.comparingInt(g -> order.getOrDefault(g.name(), 0)));

        // Alert tests by eval time.
        TreeMap<Long, List<YamlNode.Mapping>> alertTests = new TreeMap<>();
        long maxEvalTime = 0;
        if (test.get("alert_rule_test") instanceof YamlNode.Sequence list) {
            for (YamlNode item : list.items()) {
                YamlNode.Mapping alertTest = (YamlNode.Mapping) item;
                long evalTime = duration(alertTest.get("eval_time"), Duration.ZERO).toMillis();
                alertTests.computeIfAbsent(evalTime, t -> new ArrayList<>()).add(alertTest);
                maxEvalTime = Math.max(maxEvalTime, evalTime);
            }
        }
        List<YamlNode.Mapping> exprTests = new ArrayList<>();
        if (test.get("promql_expr_test") instanceof YamlNode.Sequence list) {
            for (YamlNode item : list.items()) {
                YamlNode.Mapping exprTest = (YamlNode.Mapping) item;
                exprTests.add(exprTest);
                maxEvalTime = Math.max(maxEvalTime, duration(exprTest.get("eval_time"), Duration.ZERO).toMillis());
            }
        }

        long step = evaluationInterval.toMillis();
        List<Long> alertTimes = new ArrayList<>(alertTests.keySet());
        int next = 0;
        for (long ts = 0; ts <= maxEvalTime; ts += step) {
            List<String> evaluationErrors = new ArrayList<>();
            for (RuleGroup group : groups) {
                group.evaluate(ts);
                for (Rule rule : group.rules()) {
                    if (rule.health() == RuleHealth.ERR) {
                        evaluationErrors.add("    rule: " + rule.name() + ", time: " + GoDurations.format(ts)
                                + ", err: " + rule.lastError());
                    }
                }
            }
            errors.addAll(evaluationErrors);
            if (!evaluationErrors.isEmpty()) {
                return errors;
            }
            while (next < alertTimes.size() && ts <= alertTimes.get(next) && alertTimes.get(next) < ts + step) {
                long evalTime = alertTimes.get(next);
                for (YamlNode.Mapping alertTest : alertTests.get(evalTime)) {
                    String error = checkAlerts(alertTest, groups, namePrefix);
                    if (error != null) {
                        errors.add(error);
                    }
                }
                next++;
            }
        }
        for (YamlNode.Mapping exprTest : exprTests) {
            String error = checkExpression(exprTest, query);
            if (error != null) {
                errors.add(error);
            }
        }
        return errors;
    }

    private static String checkAlerts(YamlNode.Mapping alertTest, List<RuleGroup> groups, String namePrefix) {
        String alertName = Objects.requireNonNullElse(scalar(alertTest.get("alertname")), "");
        List<LabelsAndAnnotations> got = new ArrayList<>();
        for (RuleGroup group : groups) {
            for (AlertingRule rule : group.alertingRules()) {
                if (!rule.name().equals(alertName)) {
                    continue;
                }
                for (Alert alert : rule.activeAlerts()) {
                    if (alert.state() == AlertState.FIRING) {
                        got.add(new LabelsAndAnnotations(alert.labels(), Labels.fromMap(alert.annotations())));
                    }
                }
            }
        }
        List<LabelsAndAnnotations> expected = new ArrayList<>();
        if (alertTest.get("exp_alerts") instanceof YamlNode.Sequence list) {
            for (YamlNode item : list.items()) {
                YamlNode.Mapping exp = (YamlNode.Mapping) item;
                Map<String, String> labels = new LinkedHashMap<>(stringMap(exp.get("exp_labels")));
                labels.put(AlertingRule.ALERT_NAME_LABEL, alertName);
                expected.add(new LabelsAndAnnotations(Labels.fromMap(labels),
                        Labels.fromMap(stringMap(exp.get("exp_annotations")))));
            }
        }
        got.sort(null);
        expected.sort(null);
        if (got.equals(expected)) {
            return null;
        }
        String evalTime = PromDurations.format(duration(alertTest.get("eval_time"), Duration.ZERO));
        return namePrefix + "    alertname: " + alertName + ", time: " + evalTime + ", \n        exp:"
                + indent(LabelsAndAnnotations.format(expected), "            ") + ", \n        got:"
                + indent(LabelsAndAnnotations.format(got), "            ");
    }

    private static String checkExpression(YamlNode.Mapping exprTest, QueryFunction query) {
        String expr = Objects.requireNonNullElse(scalar(exprTest.get("expr")), "");
        Duration evalTime = duration(exprTest.get("eval_time"), Duration.ZERO);
        String where = "    expr: " + GoFormat.quote(expr) + ", time: " + PromDurations.format(evalTime);
        List<Value.Sample> result;
        try {
            result = query.query(expr, evalTime.toMillis());
        } catch (RuntimeException e) {
            return where + ", err: " + e.getMessage();
        }
        List<ParsedSample> got = new ArrayList<>();
        for (Value.Sample sample : result) {
            got.add(new ParsedSample(sample.labels(), sample.value()));
        }
        List<ParsedSample> expected = new ArrayList<>();
        if (exprTest.get("exp_samples") instanceof YamlNode.Sequence list) {
            for (YamlNode item : list.items()) {
                YamlNode.Mapping exp = (YamlNode.Mapping) item;
                String labelsText = Objects.requireNonNullElse(scalar(exp.get("labels")), "");
                Labels labels;
                try {
                    labels = SeriesNotation.parseMetric(labelsText);
                } catch (IllegalArgumentException e) {
                    return where + ", err: labels " + GoFormat.quote(labelsText) + ": " + e.getMessage();
                }
                String valueText = scalar(exp.get("value"));
                double value = valueText == null ? 0 : SeriesNotation.parseNumber(valueText.replace(".inf", "inf")
                        .replace(".nan", "nan"));
                expected.add(new ParsedSample(labels, value));
            }
        }
        got.sort(Comparator.comparing(ParsedSample::labels));
        expected.sort(Comparator.comparing(ParsedSample::labels));
        if (ParsedSample.same(expected, got)) {
            return null;
        }
        // promtool names the test group only in alert failures.
        return where + ",\n        exp: " + ParsedSample.format(expected) + "\n        got: "
                + ParsedSample.format(got);
    }

    private record LabelsAndAnnotations(Labels labels, Labels annotations) implements Comparable<LabelsAndAnnotations> {
        @Override
        public int compareTo(LabelsAndAnnotations other) {
            int cmp = labels.compareTo(other.labels);
            return cmp != 0 ? cmp : annotations.compareTo(other.annotations);
        }

        static String format(List<LabelsAndAnnotations> list) {
            if (list.isEmpty()) {
                return "[]";
            }
            StringBuilder sb = new StringBuilder("[\n");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(",\n");
                }
                LabelsAndAnnotations item = list.get(i);
                sb.append(i).append(':').append(indent("\nLabels:" + item.labels + "\nAnnotations:" + item.annotations,
                        "  "));
            }
            return sb.append("\n]").toString();
        }
    }

    private record ParsedSample(Labels labels, double value) {
        static boolean same(List<ParsedSample> a, List<ParsedSample> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                double x = a.get(i).value;
                double y = b.get(i).value;
                boolean equal = x == y || Double.isNaN(x) && Double.isNaN(y);
                if (!a.get(i).labels.equals(b.get(i).labels) || !equal) {
                    return false;
                }
            }
            return true;
        }

        static String format(List<ParsedSample> samples) {
            if (samples.isEmpty()) {
                return "nil";
            }
            StringBuilder sb = new StringBuilder();
            for (ParsedSample sample : samples) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(sample.labels).append(' ')
                        .append(GoFormat.formatFloat(sample.value, 'e', -1).toUpperCase(java.util.Locale.ROOT));
            }
            return sb.toString();
        }
    }

    /** In-memory series for one test group: input series plus everything the rules append. */
    private static final class TestStorage {
        final InMemoryQuerier series = new InMemoryQuerier();
        final io.kprom.promql.storage.Queryable querier = (min, max) -> series;

        void append(Labels labels, long timestampMillis, double value) {
            SampleArrays existing = series.series().get(labels);
            if (existing != null && existing.length() > 0
                    && existing.timestamp(existing.length() - 1) >= timestampMillis) {
                return;
            }
            series.append(labels, timestampMillis, value);
        }
    }

    private static List<Path> resolveRuleFiles(Path testFile, List<String> patterns, PrintStream err) {
        Path base = testFile.toAbsolutePath().getParent();
        List<Path> files = new ArrayList<>();
        for (String pattern : patterns) {
            Path resolved = base.resolve(pattern).normalize();
            if (!pattern.contains("*") && !pattern.contains("?") && !pattern.contains("[")) {
                if (Files.exists(resolved)) {
                    files.add(relativeIfPossible(resolved, testFile));
                } else {
                    err.println("  WARNING: no file match pattern " + pattern);
                }
                continue;
            }
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + resolved);
            TreeSet<Path> matches = new TreeSet<>();
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(matcher::matches).forEach(matches::add);
            } catch (IOException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            if (matches.isEmpty()) {
                err.println("  WARNING: no file match pattern " + pattern);
            }
            for (Path match : matches) {
                files.add(relativeIfPossible(match, testFile));
            }
        }
        return files;
    }

    /** Names rule files relative to the working directory when the test file was given that way. */
    private static Path relativeIfPossible(Path absolute, Path testFile) {
        if (testFile.isAbsolute()) {
            return absolute;
        }
        Path cwd = Path.of("").toAbsolutePath();
        return absolute.startsWith(cwd) ? cwd.relativize(absolute) : absolute;
    }

    private static String indent(String lines, String indent) {
        String[] parts = lines.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                sb.append(indent);
            }
            sb.append(parts[i]);
            if (i != parts.length - 1) {
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static void unknownFields(YamlNode.Mapping mapping, java.util.Set<String> known, String type,
            List<String> errors) {
        for (String key : mapping.entries().keySet()) {
            if (!known.contains(key)) {
                errors.add("yaml: unmarshal errors:\n  line " + mapping.keyLines().get(key) + ": field " + key
                        + " not found in type main." + type);
            }
        }
    }

    private static Duration duration(YamlNode node, Duration fallback) {
        String text = scalar(node);
        return text == null || text.isEmpty() ? fallback : PromDurations.parse(text);
    }

    private static String scalar(YamlNode node) {
        return node instanceof YamlNode.Scalar scalar && !scalar.isNull() ? scalar.text() : null;
    }

    private static List<String> strings(YamlNode node) {
        List<String> values = new ArrayList<>();
        if (node instanceof YamlNode.Sequence list) {
            for (YamlNode item : list.items()) {
                String text = scalar(item);
                if (text != null) {
                    values.add(text);
                }
            }
        }
        return values;
    }

    private static Map<String, String> stringMap(YamlNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node instanceof YamlNode.Mapping mapping) {
            mapping.entries().forEach((key, value) -> map.put(key, Objects.requireNonNullElse(scalar(value), "")));
        }
        return map;
    }
}

package io.kprom.promql.promqltest;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.parser.PromqlParser;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.SampleArrays;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses promqltest scripts, the line format Prometheus documents for its PromQL tests:
 *
 * <pre>
 * # comment
 * clear
 * load 1m
 *   http_requests_total{job="api"} 0+10x10 _ stale 5
 * eval instant at 5m sum(http_requests_total)
 *   {} 50
 * eval range from 0 to 10m step 5m http_requests_total
 *   http_requests_total{job="api"} 0 50 100
 * eval instant at 0 1 +
 *   expect fail msg: 1:4: parse error: unexpected end of input
 * eval_fail instant at 0 foo[5m] + 1
 * eval_warn / eval_info / eval_ordered instant at ...
 *   expect warn | expect info [msg: text] | expect no_warn | expect no_info | expect ordered
 *   expect fail regex: some.*text
 * </pre>
 *
 * Times are Prometheus durations ({@code 1h30m}) or seconds. Each {@code load} builds a new storage
 * snapshot (previous data plus the new series), so evals see exactly the data loaded before them.
 */
final class ScriptParser {
    private static final Pattern LOAD = Pattern.compile("^load\\s+(\\S+)$");
    private static final Pattern EVAL_INSTANT = Pattern.compile(
            "^(eval|eval_fail|eval_warn|eval_info|eval_ordered)\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
    private static final Pattern EVAL_RANGE = Pattern.compile(
            "^(eval|eval_fail|eval_warn|eval_info)\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");
    private static final Pattern LOOKBACK = Pattern.compile("^eval_lookback\\s+(\\S+)$");

    private final String file;
    private final String[] lines;
    private InMemoryQuerier storage = new InMemoryQuerier();
    private int index;
    private Long lookback;

    private ScriptParser(String file, String text) {
        this.file = file;
        this.lines = text.split("\n", -1);
    }

    static List<ScriptCommand> parse(String file, String text) {
        return new ScriptParser(file, text).parseAll();
    }

    private List<ScriptCommand> parseAll() {
        List<ScriptCommand> commands = new ArrayList<>();
        while (index < lines.length) {
            String raw = lines[index];
            String line = raw.strip();
            int lineNumber = index + 1;
            index++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m;
            if (line.equals("clear")) {
                storage = new InMemoryQuerier();
            } else if ((m = LOAD.matcher(line)).matches()) {
                load(PromqlParser.parseDuration(m.group(1)), lineNumber);
            } else if ((m = LOOKBACK.matcher(line)).matches()) {
                lookback = PromqlParser.parseDuration(m.group(1));
            } else if ((m = EVAL_INSTANT.matcher(line)).matches()) {
                long at = PromqlParser.parseDuration(m.group(2));
                ScriptCommand command = new ScriptCommand(file, lineNumber, ScriptCommand.Kind.INSTANT, m.group(3),
                        at, at, 0, storage);
                applyVariant(command, m.group(1));
                readBody(command);
                commands.add(command);
            } else if ((m = EVAL_RANGE.matcher(line)).matches()) {
                ScriptCommand command = new ScriptCommand(file, lineNumber, ScriptCommand.Kind.RANGE, m.group(5),
                        PromqlParser.parseDuration(m.group(2)), PromqlParser.parseDuration(m.group(3)),
                        PromqlParser.parseDuration(m.group(4)), storage);
                applyVariant(command, m.group(1));
                readBody(command);
                commands.add(command);
            } else {
                throw new IllegalArgumentException(file + ":" + lineNumber + ": unknown command: " + line);
            }
        }
        return commands;
    }

    private void applyVariant(ScriptCommand command, String variant) {
        command.lookbackMillis = lookback;
        switch (variant) {
            case "eval_fail" -> command.expectFail = true;
            case "eval_warn" -> command.expectWarn = true;
            case "eval_info" -> command.expectInfo = true;
            case "eval_ordered" -> command.ordered = true;
            default -> {
            }
        }
    }

    /** Indented lines after a command. */
    private List<String> body() {
        List<String> body = new ArrayList<>();
        while (index < lines.length) {
            String raw = lines[index];
            if (raw.isBlank() || !(raw.startsWith(" ") || raw.startsWith("\t"))) {
                break;
            }
            body.add(raw.strip());
            index++;
        }
        return body;
    }

    private void load(long intervalMillis, int lineNumber) {
        InMemoryQuerier next = new InMemoryQuerier();
        for (Map.Entry<Labels, SampleArrays> entry : storage.series().entrySet()) {
            SampleArrays samples = entry.getValue();
            for (int i = 0; i < samples.length(); i++) {
                next.append(entry.getKey(), samples.timestamp(i), samples.value(i));
            }
        }
        int bodyLine = index + 1;
        for (String line : body()) {
            String[] parts = splitSeries(line, file + ":" + bodyLine);
            Labels labels = parseLabels(parts[0]);
            List<Double> values = SeriesValues.expand(tokens(parts[1]));
            long start = 0;
            SampleArrays existing = next.series().get(labels);
            long lastExisting = existing == null || existing.length() == 0 ? Long.MIN_VALUE
                    : existing.timestamp(existing.length() - 1);
            for (int i = 0; i < values.size(); i++) {
                Double value = values.get(i);
                long t = start + i * intervalMillis;
                if (value != null && t > lastExisting) {
                    next.append(labels, t, value);
                }
            }
            bodyLine++;
        }
        storage = next;
    }

    private void readBody(ScriptCommand command) {
        int bodyLine = index + 1;
        for (String line : body()) {
            if (line.startsWith("expect ")) {
                expectation(command, line.substring(7).strip());
            } else if (line.startsWith("expected_fail_message ")) {
                command.expectFail = true;
                command.failMessage = line.substring("expected_fail_message ".length());
            } else if (line.startsWith("expected_fail_regexp ")) {
                command.expectFail = true;
                command.failRegex = line.substring("expected_fail_regexp ".length());
            } else if (line.startsWith("\"")) {
                command.expected.add(new ScriptCommand.Expected(null, List.of(),
                        line.substring(1, line.length() - 1), bodyLine));
            } else if (Character.isDigit(line.charAt(0)) || line.startsWith("-") || line.startsWith("+")
                    || line.startsWith("NaN") || line.startsWith("Inf")) {
                command.expected.add(new ScriptCommand.Expected(null, SeriesValues.expand(tokens(line)), null,
                        bodyLine));
            } else {
                String[] parts = splitSeries(line, file + ":" + bodyLine);
                command.expected.add(new ScriptCommand.Expected(parseLabels(parts[0]),
                        SeriesValues.expand(tokens(parts[1])), null, bodyLine));
            }
            bodyLine++;
        }
    }

    private static void expectation(ScriptCommand command, String text) {
        String kind = text.split("\\s+", 2)[0];
        String rest = text.substring(kind.length()).strip();
        String message = rest.startsWith("msg:") ? rest.substring(4).strip() : null;
        String regex = rest.startsWith("regex:") ? rest.substring(6).strip() : null;
        switch (kind) {
            case "fail" -> {
                command.expectFail = true;
                command.failMessage = message;
                command.failRegex = regex;
            }
            case "warn" -> {
                command.expectWarn = true;
                command.warnMessage = message;
            }
            case "info" -> {
                command.expectInfo = true;
                command.infoMessage = message;
            }
            case "no_warn" -> command.expectNoWarn = true;
            case "no_info" -> command.expectNoInfo = true;
            case "ordered" -> command.ordered = true;
            default -> throw new IllegalArgumentException("unknown expectation: expect " + text);
        }
    }

    /** Splits "metric{labels} values..." at the end of the series description. */
    private static String[] splitSeries(String line, String where) {
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (Character.isWhitespace(c) && depth == 0) {
                return new String[] {line.substring(0, i), line.substring(i + 1).strip()};
            }
        }
        throw new IllegalArgumentException(where + ": expected a series and values: " + line);
    }

    static Labels parseLabels(String description) {
        if (description.equals("{}")) {
            return Labels.EMPTY;
        }
        Labels.Builder builder = Labels.builder();
        for (LabelMatcher matcher : PromqlParser.parseMetricSelector(description)) {
            builder.set(matcher.name(), matcher.value());
        }
        return builder.build();
    }

    private static List<String> tokens(String values) {
        String trimmed = values.strip();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+"));
    }
}

package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code kprom check rules FILE...}: validates rule files with promtool's output and exit codes.
 * Per file, stdout gets {@code Checking FILE} and either {@code   SUCCESS: N rules found} or nothing;
 * stderr gets {@code   FAILED:} and one line per error; a blank line ends each file on stdout.
 * Duplicate rules (same name and labels) are a lint finding, printed as a failure but fatal only
 * with {@code lintFatal}.
 *
 * <pre>{@code
 * int exitCode = RuleChecker.run(List.of(Path.of("rules.yml")), System.out, System.err);
 * }</pre>
 */
public final class RuleChecker {
    /** Everything valid. */
    public static final int SUCCESS = 0;
    /** A file is invalid or missing. */
    public static final int FAILURE = 1;
    /** Only lint findings, with {@code lintFatal}. */
    public static final int LINT_FAILURE = 3;

    private RuleChecker() {
    }

    public static int run(List<Path> files, PrintStream out, PrintStream err) {
        return run(files, false, out, err);
    }

    public static int run(List<Path> files, boolean lintFatal, PrintStream out, PrintStream err) {
        for (Path file : files) {
            if (!Files.exists(file)) {
                err.println("kprom: error: path '" + file + "' does not exist, try --help");
                return FAILURE;
            }
        }
        RuleFileLoader loader = RuleFileLoader.standard();
        boolean failed = false;
        boolean lintFailed = false;
        for (Path file : files) {
            out.println("Checking " + file);
            try {
                List<RuleGroupSpec> groups = loader.load(file);
                List<String> duplicates = duplicates(groups);
                if (duplicates.isEmpty()) {
                    int count = 0;
                    for (RuleGroupSpec group : groups) {
                        count += group.rules().size();
                    }
                    out.println("  SUCCESS: " + count + " rules found");
                } else {
                    err.println("  FAILED:");
                    StringBuilder message = new StringBuilder("lint error " + duplicates.size()
                            + " duplicate rule(s) found.\n");
                    duplicates.forEach(message::append);
                    message.append("Might cause inconsistency while recording expressions");
                    err.println(message);
                    lintFailed = true;
                }
            } catch (RuleLoadException e) {
                err.println("  FAILED:");
                e.errors().forEach(err::println);
                failed = true;
            }
            out.println();
        }
        if (failed) {
            return FAILURE;
        }
        return lintFailed && lintFatal ? LINT_FAILURE : SUCCESS;
    }

    /** promtool's duplicate check: rules with the same name and labels anywhere in one file. */
    static List<String> duplicates(List<RuleGroupSpec> groups) {
        record Key(String metric, Labels labels) {
        }
        List<Key> keys = new ArrayList<>();
        for (RuleGroupSpec group : groups) {
            for (RuleSpec rule : group.rules()) {
                keys.add(new Key(rule.name(), rule.labels()));
            }
        }
        keys.sort(Comparator.comparing(Key::metric).thenComparing(Key::labels));
        List<String> found = new ArrayList<>();
        Key lastReported = null;
        for (int i = 1; i < keys.size(); i++) {
            if (keys.get(i).equals(keys.get(i - 1)) && !keys.get(i).equals(lastReported)) {
                lastReported = keys.get(i);
                StringBuilder sb = new StringBuilder("Metric: " + lastReported.metric() + "\nLabel(s):\n");
                lastReported.labels().forEach((name, value) -> sb.append('\t').append(name).append(": ")
                        .append(value).append('\n'));
                found.add(sb.toString());
            }
        }
        return found;
    }
}

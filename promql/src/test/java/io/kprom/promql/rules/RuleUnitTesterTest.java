package io.kprom.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the promtool-format suite under src/test/resources/rules. The golden outputs of the failing
 * files were produced by Debian's promtool 2.42 on the same files; kprom must print the same.
 */
class RuleUnitTesterTest {
    static final Path RULES = Path.of("src/test/resources/rules");

    record Run(int exitCode, String out, String err) {
    }

    static Run test(Path... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RuleUnitTester.run(List.of(files), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run check(Path... files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RuleChecker.run(List.of(files), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Golden files name the input relative to the rules directory; ours run from the module root. */
    static String golden(String name) throws Exception {
        return Files.readString(RULES.resolve("failing").resolve(name)).replace("failing/", RULES + "/failing/");
    }

    @Test
    void suitePasses() {
        Run run = test(RULES.resolve("suite/service-test.yml"), RULES.resolve("suite/recording-test.yml"));
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Unit Testing:  " + RULES + "/suite/service-test.yml\n  SUCCESS\n\n"
                + "Unit Testing:  " + RULES + "/suite/recording-test.yml\n  SUCCESS\n\n");
    }

    @Test
    void wrongExpectationsFailWithPromtoolsReport() throws Exception {
        Run run = test(RULES.resolve("failing/wrong-expectations-test.yml"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(golden("wrong-expectations-test.stdout"));
        assertThat(run.err()).isEqualTo(golden("wrong-expectations-test.stderr"));
    }

    @Test
    void checkRulesReportsEveryErrorLikePromtool() throws Exception {
        Run run = check(RULES.resolve("failing/bad-rules.yml"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).isEqualTo(golden("bad-rules.check.stdout"));
        assertThat(run.err()).isEqualTo(golden("bad-rules.check.stderr"));
    }

    @Test
    void checkRulesSucceedsOnTheSuite() {
        Run run = check(RULES.resolve("suite/service-rules.yml"));
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("Checking " + RULES + "/suite/service-rules.yml\n  SUCCESS: 8 rules found\n\n");
    }

    @Test
    void duplicateRulesAreALintFindingNotAFailure(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dup.yml");
        Files.writeString(file, """
                groups:
                  - name: g
                    rules:
                      - record: a
                        expr: up
                        labels: {x: "1"}
                      - record: a
                        expr: up
                        labels: {x: "1"}
                """);
        Run run = check(file);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEqualTo("  FAILED:\nlint error 1 duplicate rule(s) found.\nMetric: a\nLabel(s):\n\tx: 1\n"
                + "Might cause inconsistency while recording expressions\n");
        assertThat(RuleChecker.run(List.of(file), true, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()))).isEqualTo(RuleChecker.LINT_FAILURE);
    }

    @Test
    void missingFileIsAFailure() {
        Run run = test(Path.of("no-such-file.yml"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("path 'no-such-file.yml' does not exist");
    }

    @Test
    void ruleFilesThatMatchNothingOnlyWarn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.yml");
        Files.writeString(file, "rule_files:\n  - nothere.yml\ntests: []\n");
        Run run = test(file);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEqualTo("  WARNING: no file match pattern nothere.yml\n");
    }

    @Test
    void evaluationErrorsStopTheGroup(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("dup.yml"), """
                groups:
                  - name: g
                    rules:
                      - record: r
                        expr: '{__name__=~"x|y"}'
                """);
        Path file = dir.resolve("t.yml");
        Files.writeString(file, """
                rule_files: [dup.yml]
                tests:
                  - input_series:
                      - series: 'x{a="1"}'
                        values: '1'
                      - series: 'y{a="1"}'
                        values: '1'
                    promql_expr_test:
                      - expr: r
                        eval_time: 0m
                        exp_samples: []
                """);
        Run run = test(file);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("  FAILED:\n    rule: r, time: 0s, err: vector contains metrics with the same "
                + "labelset after applying rule labels\n");
    }
}

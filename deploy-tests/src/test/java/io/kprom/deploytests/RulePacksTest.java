package io.kprom.deploytests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kprom.promql.rules.RuleChecker;
import io.kprom.promql.rules.RuleUnitTester;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The rule packs in deploy/rules pass {@code kprom check rules}, and their unit tests pass {@code kprom test rules} (and promtool's, where installed). */
class RulePacksTest {
    private static final Path RULES = RenderedManifests.DEPLOY.resolve("rules");

    static List<Path> ruleFiles() throws IOException {
        try (Stream<Path> files = Files.list(RULES)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    static List<Path> testFiles() throws IOException {
        try (Stream<Path> files = Files.list(RULES.resolve("tests"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private record Run(int exitCode, String output) {
    }

    private static Run kprom(boolean unitTests, List<Path> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = unitTests ? RuleUnitTester.run(files, out, out) : RuleChecker.run(files, out, out);
        return new Run(code, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyRuleFilePassesCheckRules() throws IOException {
        Run run = kprom(false, ruleFiles());
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @Test
    void rulePacksHaveTheSeedsRulesWithFullAnnotations() throws IOException {
        StringBuilder all = new StringBuilder();
        for (Path file : ruleFiles()) {
            all.append(Files.readString(file));
        }
        String text = all.toString();
        for (String record : List.of("job:http_requests:rate5m", "job:http_request_duration:p95", "job:http_request_duration:p99",
                "job:http_errors:rate5m", "node:cpu_usage:percentage", "node:memory_usage:percentage")) {
            assertThat(text).contains("record: " + record);
        }
        Matcher alerts = Pattern.compile("(?m)^\\s+- alert: (\\S+)$").matcher(text);
        List<String> names = new ArrayList<>();
        while (alerts.find()) {
            names.add(alerts.group(1));
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(40).doesNotHaveDuplicates();
        // Every alert block carries severity, summary, description and runbook_url.
        for (String block : text.split("(?m)^\\s+- alert: ")) {
            if (block.contains("expr:") && !block.contains("record:")) {
                assertThat(block).contains("severity:", "summary:", "description:", "runbook_url:");
            }
        }
        assertThat(names.stream().filter(n -> n.startsWith("SLO")).count()).isEqualTo(8);
    }

    static Stream<Path> unitTestFiles() throws IOException {
        return testFiles().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unitTestFiles")
    void unitTestsPassUnderKprom(Path file) {
        Run run = kprom(true, List.of(file));
        assertThat(run.exitCode()).as(run.output()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unitTestFiles")
    void unitTestsPassUnderPromtool(Path file) throws Exception {
        assumeTrue(promtoolAvailable(), "promtool is not installed (Debian package prometheus): skipping the cross-check");
        Process process = new ProcessBuilder("promtool", "test", "rules", file.getFileName().toString())
                .directory(file.getParent().toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static boolean promtoolAvailable() {
        try {
            Process process = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

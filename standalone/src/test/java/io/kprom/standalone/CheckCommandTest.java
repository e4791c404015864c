package io.kprom.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code kprom check config} and {@code kprom test rules} answer with promtool's exit codes and messages. */
class CheckCommandTest {
    static Stream<Arguments> configs() {
        return Stream.of(
                Arguments.of("valid config with a valid rule file", "rule_files: [rules.yml]\nscrape_configs:\n  - job_name: a\n",
                        "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sum(up)\n", 0,
                        "is valid prometheus config file syntax"),
                Arguments.of("typo in a field", "scrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n", "", 1,
                        "prometheus.yml:3: scrape_configs[0].scrape_intervall: field scrape_intervall not found"),
                Arguments.of("bad expression in a referenced rule file", "rule_files: [rules.yml]\n",
                        "groups:\n  - name: g\n    rules:\n      - record: a:b\n        expr: sum(up\n", 1, "rules.yml"),
                Arguments.of("missing credentials file", "scrape_configs:\n  - job_name: a\n    authorization:\n"
                        + "      credentials_file: /nonexistent/token\n", "", 1, "\"/nonexistent/token\" does not exist"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void checkConfig(String name, String config, String rules, int exitCode, String expectedOutput, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config);
        if (!rules.isEmpty()) {
            Files.writeString(dir.resolve("rules.yml"), rules);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code;
        try {
            System.setOut(capture);
            System.setErr(capture);
            code = KpromCommand.execute("check", "config", file.toString());
        } finally {
            System.setOut(previousOut);
            System.setErr(previousErr);
        }
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output).isEqualTo(exitCode);
        assertThat(output).contains(expectedOutput);
    }
}

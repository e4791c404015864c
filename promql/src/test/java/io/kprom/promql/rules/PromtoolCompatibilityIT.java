package io.kprom.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the same rule files through Debian's {@code promtool} (when installed) and through kprom,
 * and requires the same exit code, stdout and stderr. Skipped with a message when promtool is absent.
 */
class PromtoolCompatibilityIT {
    private static final Path RULES = Path.of("src/test/resources/rules");

    @BeforeAll
    static void requirePromtool() {
        assumeTrue(promtool() != null, "promtool is not installed (apt-get install prometheus); skipping cross-check");
    }

    static String promtool() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "test, suite/service-test.yml, 0",
        "test, suite/recording-test.yml, 0",
        "test, failing/wrong-expectations-test.yml, 1",
        "check, suite/service-rules.yml, 0",
        "check, suite/recording-rules.yml, 0",
        "check, failing/bad-rules.yml, 1",
    })
    void kpromAndPromtoolAgree(String command, String file, int expectedExit) throws Exception {
        Path out = Files.createTempFile("promtool", ".out");
        Path err = Files.createTempFile("promtool", ".err");
        Process process = new ProcessBuilder(promtool(), command, "rules", file).directory(RULES.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String promtoolOut = Files.readString(out, StandardCharsets.UTF_8);
        String promtoolErr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(promtoolErr).isEqualTo(expectedExit);

        List<Path> files = new ArrayList<>(List.of(RULES.resolve(file)));
        RuleUnitTesterTest.Run kprom = command.equals("test") ? RuleUnitTesterTest.test(files.toArray(Path[]::new))
                : RuleUnitTesterTest.check(files.toArray(Path[]::new));
        String prefix = RULES + "/";
        assertThat(kprom.exitCode()).isEqualTo(expectedExit);
        assertThat(kprom.out().replace(prefix, "")).isEqualTo(promtoolOut);
        assertThat(kprom.err().replace(prefix, "")).isEqualTo(promtoolErr);
    }
}

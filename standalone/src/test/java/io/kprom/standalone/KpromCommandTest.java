package io.kprom.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KpromCommandTest {
    @Test
    void versionPrintsTheBuildVersion() {
        String output = capture(() -> assertThat(KpromCommand.execute("--version")).isZero(), false);
        assertThat(output).startsWith("kprom 0.").contains("Java ");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        String errors = capture(() -> assertThat(KpromCommand.execute()).isEqualTo(2), true);
        assertThat(errors).contains("missing subcommand");
    }

    @Test
    void invalidConfigExitsNonZeroWithTheReasonBeforeStartingAnything(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "scrape_configs:\n  - job_name: [broken\n");
        String errors = capture(() -> assertThat(KpromCommand.execute("standalone", "--config.file=" + config,
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:0")).isEqualTo(1), true);
        assertThat(errors).contains("start-up failed: invalid configuration").contains("prometheus.yml");
        assertThat(dir.resolve("data").resolve("kafka")).doesNotExist();
    }

    private static String capture(Runnable action, boolean stderr) {
        PrintStream original = stderr ? System.err : System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        if (stderr) {
            System.setErr(capture);
        } else {
            System.setOut(capture);
        }
        try {
            action.run();
        } finally {
            if (stderr) {
                System.setErr(original);
            } else {
                System.setOut(original);
            }
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}

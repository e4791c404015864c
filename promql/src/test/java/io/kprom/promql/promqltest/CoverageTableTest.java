package io.kprom.promql.promqltest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keeps README.md's coverage table in sync with the scripts, and every function tested. */
class CoverageTableTest {
    @Test
    void readmeTableMatchesScripts() throws Exception {
        List<ScriptCommand> commands = CoverageTable.allCommands();
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        assertThat(readme)
                .as("promql/README.md coverage table is stale; regenerate it with CoverageTable.main")
                .contains(CoverageTable.render(commands));
    }

    @Test
    void everyFunctionOperatorAndModifierHasTests() throws Exception {
        Map<String, Integer> counts = CoverageTable.count(CoverageTable.allCommands());
        assertThat(counts).allSatisfy((feature, count) -> assertThat(count).as(feature).isPositive());
    }
}

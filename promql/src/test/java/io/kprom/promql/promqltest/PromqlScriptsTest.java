package io.kprom.promql.promqltest;

import io.kprom.promql.engine.PromqlEngine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every {@code promqltest/*.test} script: one dynamic test per {@code eval}, grouped by file. */
class PromqlScriptsTest {
    private final PromqlEngine engine = new PromqlEngine();

    static List<Path> scripts() throws IOException, URISyntaxException {
        URL url = PromqlScriptsTest.class.getClassLoader().getResource("promqltest");
        if (url == null) {
            throw new IllegalStateException("no promqltest scripts on the test classpath");
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".test")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicNode> scriptsPass() throws IOException, URISyntaxException {
        ScriptRunner runner = new ScriptRunner(engine);
        return scripts().stream().map(path -> {
            String name = path.getFileName().toString();
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            List<ScriptCommand> commands = ScriptParser.parse(name, text);
            return DynamicContainer.dynamicContainer(name, commands.stream().map(command ->
                    DynamicTest.dynamicTest(command.displayName(), () -> runner.run(command))));
        });
    }
}

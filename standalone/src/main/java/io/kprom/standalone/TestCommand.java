package io.kprom.standalone;

import io.kprom.promql.rules.RuleUnitTester;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kprom test rules FILE...}: promtool's rule unit-test format, output and exit codes. */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Unit-test rules like promtool test rules.",
        subcommands = {TestCommand.Rules.class})
class TestCommand implements Runnable {
    @Override
    public void run() {
        System.err.println("kprom test: missing subcommand (rules)");
    }

    @Command(name = "rules", mixinStandardHelpOptions = true, description = "Run rule unit-test files.")
    static final class Rules implements Callable<Integer> {
        @Parameters(arity = "1..*", description = "unit-test files")
        List<Path> files;

        @Override
        public Integer call() {
            return RuleUnitTester.run(files, System.out, System.err);
        }
    }
}

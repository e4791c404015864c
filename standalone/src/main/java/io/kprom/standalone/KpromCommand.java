package io.kprom.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code kprom} command line: {@code kprom --version}, {@code kprom standalone [options]},
 * {@code kprom component <name>}, {@code kprom check config|rules}, {@code kprom test rules}.
 * Exit codes: 0 after a clean shutdown, 1 when start-up fails, 2 for usage errors.
 */
@Command(name = "kprom", mixinStandardHelpOptions = true, versionProvider = KpromCommand.Version.class,
        description = "Prometheus-compatible monitoring pipeline on Apache Kafka.",
        subcommands = {StandaloneCommand.class, ComponentCommand.class, CheckCommand.class, TestCommand.class})
public final class KpromCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (for tests and embedding). */
    public static int execute(String... args) {
        // "kprom scraper ..." is shorthand for "kprom component scraper ..." (the Kubernetes entrypoint).
        if (args.length > 0 && io.kprom.standalone.wiring.PipelineComponents.COMPONENTS.contains(args[0])) {
            String[] expanded = new String[args.length + 1];
            expanded[0] = "component";
            System.arraycopy(args, 0, expanded, 1, args.length);
            args = expanded;
        }
        return new CommandLine(new KpromCommand()).execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: kprom standalone)");
    }

    /** The version from the build ({@code kprom-version.properties}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kprom " + version(), "Java " + System.getProperty("java.version")};
        }

        static String version() {
            try (InputStream in = KpromCommand.class.getResourceAsStream("/kprom-version.properties")) {
                if (in == null) {
                    return "unknown";
                }
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

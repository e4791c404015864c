package io.kprom.standalone;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code kprom standalone}: the embedded Kafka broker and every component in one JVM, until
 * SIGTERM or Ctrl-C, then an orderly stop and exit code 0.
 */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = "Run an embedded single-node Kafka broker and every kprom component in this process.")
final class StandaloneCommand implements Callable<Integer> {
    @Option(names = "--config.file", defaultValue = "prometheus.yml", description = "Prometheus configuration file (default: ${DEFAULT-VALUE}).")
    Path configFile;

    @Option(names = "--storage.path", defaultValue = "./data", description = "Base path for all data: Kafka, TSDB, state (default: ${DEFAULT-VALUE}).")
    Path storagePath;

    @Option(names = "--web.listen-address", defaultValue = "127.0.0.1:9090",
            description = "Address for /metrics, /-/ready and the APIs (default: ${DEFAULT-VALUE}).")
    String webListenAddress;

    @Option(names = "--kafka.listen-address", defaultValue = "127.0.0.1:0",
            description = "Client listener of the embedded Kafka broker; port 0 picks a free port (default: ${DEFAULT-VALUE}).")
    String kafkaListenAddress;

    @Option(names = "--start.timeout", defaultValue = "120s", converter = DurationConverter.class,
            description = "How long Kafka and each component may take to start (default: ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        int colon = kafkaListenAddress.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("kprom: --kafka.listen-address needs host:port, got '" + kafkaListenAddress + "'");
            return 2;
        }
        StandaloneOptions options = new StandaloneOptions(configFile, storagePath, webListenAddress,
                kafkaListenAddress.substring(0, colon), Integer.parseInt(kafkaListenAddress.substring(colon + 1)), startTimeout);
        StandaloneRunner runner = new StandaloneRunner(options, StandaloneComponents.all(), out);
        CountDownLatch stop = new CountDownLatch(1);
        // SIGTERM and Ctrl-C end the wait below, so the main thread stops everything and returns 0.
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        // Any other way out of the JVM (System.exit elsewhere) still stops Kafka cleanly.
        Thread hook = new Thread(runner::close, "kprom-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            runner.start();
        } catch (StartupException e) {
            System.err.println("kprom: start-up failed: " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(hook);
            return 1;
        }
        stop.await();
        out.println("kprom: shutting down");
        runner.close();
        Runtime.getRuntime().removeShutdownHook(hook);
        out.println("kprom: stopped");
        return 0;
    }

    /** Prometheus-style durations for options: {@code 30s}, {@code 2m}, {@code 1h}, or milliseconds {@code 500ms}. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException("'" + value + "' is not a duration like 30s, 2m, 1h or 500ms");
            };
        }
    }
}

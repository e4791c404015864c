package io.kprom.standalone.fault.corpus;

import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.standalone.ComponentFactory;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import io.kprom.standalone.wiring.ComponentRoutes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One pipeline component of {@link LimitedPipeline} in a JVM of its own, on an external broker, for
 * tests that measure a component's memory ({@link ComponentProcess} starts it). Arguments: role
 * ({@code sink}, {@code processor} or {@code scraper}), prometheus.yml, data directory, bootstrap
 * servers, job name and its active-series limit. Line protocol on stdout/stdin: it prints
 * {@code web-port N} once started; {@code memory} answers {@code memory <heap after GC bytes> <RSS bytes>};
 * {@code stop} (or end of input) closes it. Logs go to stderr.
 */
public final class ComponentMain {
    private ComponentMain() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        SeriesLimits limits = new SeriesLimits(0, 0, Map.of(args[4], Long.parseLong(args[5])), Duration.ofMinutes(20), 10);
        ComponentRoutes routes = new ComponentRoutes();
        List<ComponentFactory> factories = switch (role) {
            case "sink" -> List.of(LimitedPipeline.router(routes), LimitedPipeline.sink(routes));
            case "processor" -> List.of(LimitedPipeline.processor(limits));
            case "scraper" -> List.of(LimitedPipeline.scraper(routes));
            default -> throw new IllegalArgumentException("unknown role " + role);
        };
        StandaloneOptions options = new StandaloneOptions(Path.of(args[1]), Path.of(args[2]), "127.0.0.1:0", "127.0.0.1", 0,
                Duration.ofSeconds(120));
        try (StandaloneRunner runner = new StandaloneRunner(options, factories, System.err, TopicCatalogue.defaults(), args[3])) {
            runner.start();
            System.out.println("web-port " + runner.webPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("stop"); line = in.readLine()) {
                if (line.equals("memory")) {
                    MemoryReport memory = MemoryReport.now();
                    System.out.println("memory " + memory.heapAfterGcBytes() + " " + memory.rssBytes());
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }
}

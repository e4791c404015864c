package io.kprom.standalone.wiring;

import io.kprom.common.kafka.KafkaClientDefaults;
import io.kprom.common.kafka.Topics;
import io.kprom.evaluator.AlertEvaluatorComponent;
import io.kprom.evaluator.EvaluatorSettings;
import io.kprom.processor.ProcessorComponent;
import io.kprom.processor.ProcessorOptions;
import io.kprom.scraper.ScraperComponent;
import io.kprom.sink.SinkComponent;
import io.kprom.sink.SinkOptions;
import io.kprom.standalone.ComponentFactory;
import io.kprom.standalone.StandaloneContext;
import io.kprom.standalone.demo.DemoExporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The factories of the whole pipeline for {@code kprom standalone}, in start order: demo exporter
 * (so targets exist at the first scrape), sink, processor, evaluator, scraper (last, so every
 * stage downstream already runs). One shared {@link ComponentRoutes} serves the routes of all
 * components on the single web listener, as Prometheus has one.
 */
public final class PipelineComponents {
    private PipelineComponents() {
    }

    /** Options of the pipeline that standalone's flags set. */
    public record Options(String demoExporterAddress, boolean enableAdminApi, SinkOptionsCustomizer sink,
            int processorStandbyReplicas) {
        public static Options defaults() {
            return new Options("127.0.0.1:9101", false, options -> options, 0);
        }
    }

    /**
     * The scraper's producer retries a batch itself, in order, for as long as the broker is away (bounded by its
     * buffer memory, then by the publisher's buffer, whose overflow is counted). With a finite delivery timeout a
     * batch in flight when the broker went away expires and goes back to the publisher's queue behind newer ones,
     * so it reaches the processor and the TSDB after them and is dropped there as out of order.
     */
    private static final Map<String, Object> SCRAPER_PRODUCER = Map.of("delivery.timeout.ms", Integer.MAX_VALUE);

    /** The names {@link #only} accepts. */
    public static final List<String> COMPONENTS = List.of("scraper", "processor", "sink", "evaluator");

    /** One component alone (plus the shared router), for {@code kprom scraper|processor|sink|evaluator}. */
    public static List<ComponentFactory> only(String component, Options options) {
        ComponentRoutes routes = new ComponentRoutes();
        ComponentFactory factory = switch (component) {
            case "scraper" -> context -> scraper(context, routes);
            case "processor" -> context -> processor(context, options);
            case "sink" -> context -> sink(context, routes, options);
            case "evaluator" -> context -> evaluator(context, routes);
            default -> throw new IllegalArgumentException("unknown component " + component + ", one of " + COMPONENTS);
        };
        return List.of(mountShared(routes), factory);
    }

    /** Adjusts the sink's options (retention, query limits) from flags. */
    @FunctionalInterface
    public interface SinkOptionsCustomizer {
        SinkOptions apply(SinkOptions options);
    }

    public static List<ComponentFactory> all(Options options) {
        ComponentRoutes routes = new ComponentRoutes();
        List<ComponentFactory> factories = new ArrayList<>();
        factories.add(mountShared(routes));
        if (options.demoExporterAddress() != null && !options.demoExporterAddress().isEmpty()) {
            factories.add(context -> new DemoExporter(options.demoExporterAddress()));
        }
        factories.add(context -> sink(context, routes, options));
        factories.add(context -> processor(context, options));
        factories.add(context -> evaluator(context, routes));
        factories.add(context -> scraper(context, routes));
        return factories;
    }

    /** Mounts the shared deferred router on the API paths (first factory, so it runs before the others). */
    private static ComponentFactory mountShared(ComponentRoutes routes) {
        return context -> {
            context.route("/api/*", routes);
            context.route("/-/reload", routes);
            return new NoOpComponent("router");
        };
    }

    private static io.kprom.common.lifecycle.Component sink(StandaloneContext context, ComponentRoutes routes, Options options) {
        SinkOptions sinkOptions = options.sink().apply(SinkOptions.defaults(context.componentDirectory("tsdb"))
                .withAdminApi(options.enableAdminApi()));
        SinkComponent sink = new SinkComponent(sinkOptions, context.config(),
                Map.of("bootstrap.servers", context.bootstrapServers()));
        return new RoutedComponent(sink, sink::routes, routes);
    }

    private static io.kprom.common.lifecycle.Component processor(StandaloneContext context, Options options)
            throws Exception {
        ProcessorOptions processorOptions = ProcessorOptions.of(context.bootstrapServers(), "kprom-processor",
                        context.componentDirectory("processor").toString())
                .withPartitions(context.catalogue().topic(Topics.METRICS_RAW).partitions(),
                        context.catalogue().topic(Topics.METRICS_SAMPLES).partitions(), 2)
                .withStandbyReplicas(options.processorStandbyReplicas());
        return new ProcessorComponent(context.config(), processorOptions);
    }

    private static io.kprom.common.lifecycle.Component evaluator(StandaloneContext context, ComponentRoutes routes)
            throws Exception {
        AlertEvaluatorComponent evaluator = new AlertEvaluatorComponent(EvaluatorSettings.builder()
                .bootstrapServers(context.bootstrapServers())
                .prometheusConfig(context.config())
                .ruleFiles(context.config().resolvedRuleFiles())
                .build());
        return new RoutedComponent(evaluator, evaluator::routes, routes);
    }

    private static io.kprom.common.lifecycle.Component scraper(StandaloneContext context, ComponentRoutes routes) {
        String bootstrap = context.bootstrapServers();
        ScraperComponent.Settings settings = ScraperComponent.Settings.DEFAULT
                .withShards(context.catalogue().topic(Topics.SCRAPE_SHARDS).partitions());
        ScraperComponent scraper = new ScraperComponent(context.config(),
                KafkaClientDefaults.producer(bootstrap, SCRAPER_PRODUCER),
                KafkaClientDefaults.consumer(bootstrap, settings.groupId(), Map.of()),
                Map.of(), settings);
        if (context.config().sourceFile() == null) {
            return new RoutedComponent(scraper, scraper::routes, routes);
        }
        ConfigReloader reloader = new ConfigReloader(context.config().sourceFile(), scraper);
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reloader.reload());
        } catch (IllegalArgumentException e) {
            // No SIGHUP on this platform: POST /-/reload still works.
        }
        return new RoutedComponent(scraper, () -> {
            java.util.Map<String, org.eclipse.jetty.server.Handler> all = new java.util.LinkedHashMap<>(scraper.routes());
            all.put("/-/reload", reloader.handler());
            return all;
        }, routes);
    }

    private record NoOpComponent(String name) implements io.kprom.common.lifecycle.Component {
        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }
}

package io.kprom.standalone.fault.corpus;

import io.kprom.common.kafka.KafkaClientDefaults;
import io.kprom.common.kafka.Topics;
import io.kprom.common.lifecycle.Component;
import io.kprom.processor.ProcessorComponent;
import io.kprom.processor.ProcessorOptions;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.scraper.ScraperComponent;
import io.kprom.sink.SinkComponent;
import io.kprom.sink.SinkOptions;
import io.kprom.standalone.ComponentFactory;
import io.kprom.standalone.wiring.ComponentRoutes;
import io.kprom.standalone.wiring.RoutedComponent;
import java.util.List;
import java.util.Map;

/**
 * Sink, processor and scraper wired as {@code PipelineComponents.all} wires them, except that the
 * processor gets active-series limits: standalone has no flag for them yet, so fault tests that need
 * a limit build the pipeline here. No evaluator and no demo exporter. The single factories let a
 * test run each component in a JVM of its own ({@link ComponentProcess}).
 */
public final class LimitedPipeline {
    private LimitedPipeline() {
    }

    public static List<ComponentFactory> factories(SeriesLimits limits) {
        ComponentRoutes routes = new ComponentRoutes();
        return List.of(router(routes), sink(routes), processor(limits), scraper(routes));
    }

    /** Serves {@code /api/*} from the routes the other components register in {@code routes}. */
    public static ComponentFactory router(ComponentRoutes routes) {
        return context -> {
            context.route("/api/*", routes);
            return new RoutedComponent(new Idle("router"), Map::of, routes);
        };
    }

    public static ComponentFactory sink(ComponentRoutes routes) {
        return context -> {
            SinkComponent sink = new SinkComponent(SinkOptions.defaults(context.componentDirectory("tsdb")),
                    context.config(), Map.of("bootstrap.servers", context.bootstrapServers()));
            return new RoutedComponent(sink, sink::routes, routes);
        };
    }

    public static ComponentFactory processor(SeriesLimits limits) {
        return context -> new ProcessorComponent(context.config(), ProcessorOptions.of(context.bootstrapServers(),
                        "kprom-processor", context.componentDirectory("processor").toString())
                .withPartitions(context.catalogue().topic(Topics.METRICS_RAW).partitions(),
                        context.catalogue().topic(Topics.METRICS_SAMPLES).partitions(), 2)
                .withSeriesLimits(limits));
    }

    public static ComponentFactory scraper(ComponentRoutes routes) {
        return context -> {
            String bootstrap = context.bootstrapServers();
            ScraperComponent.Settings settings = ScraperComponent.Settings.DEFAULT
                    .withShards(context.catalogue().topic(Topics.SCRAPE_SHARDS).partitions());
            ScraperComponent scraper = new ScraperComponent(context.config(),
                    KafkaClientDefaults.producer(bootstrap, Map.of()),
                    KafkaClientDefaults.consumer(bootstrap, settings.groupId(), Map.of()), Map.of(), settings);
            return new RoutedComponent(scraper, scraper::routes, routes);
        };
    }

    private record Idle(String name) implements Component {
        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }
}

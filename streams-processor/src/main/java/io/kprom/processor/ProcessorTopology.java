package io.kprom.processor;

import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.rules.GroupEvaluator;
import io.kprom.processor.rules.RulePartitioning;
import io.kprom.processor.rules.RuleSelectorIndex;
import io.kprom.processor.rules.RuleStageProcessor;
import io.kprom.processor.series.PassThroughSeriesSerde;
import io.kprom.processor.series.SeriesShards;
import io.kprom.processor.series.SeriesStageProcessor;
import io.kprom.processor.target.TargetCounts;
import io.kprom.processor.target.TargetStageProcessor;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the processor's Kafka Streams topology (processor API):
 *
 * <pre>
 * metrics.raw ──▶ target-stage ──▶ &lt;series topic&gt; (by series shard) ──▶ series-stage ──▶ metrics.samples
 *                  │                                                          │
 *                  └──▶ metrics.metadata                                      └──▶ &lt;rule-input topic&gt; (by group)
 *                                                                                    ──▶ rule-stage ──▶ metrics.samples
 * </pre>
 *
 * Every store is a persistent RocksDB store with a changelog. The internal topics must exist with
 * {@code seriesShards} and {@code ruleInputPartitions} partitions ({@link ProcessorComponent} creates them).
 */
public final class ProcessorTopology {
    /** Avro single-object encoding's marker (2 bytes) and schema fingerprint (8 bytes). */
    private static final int SINGLE_OBJECT_HEADER_LENGTH = 10;

    private ProcessorTopology() {
    }

    public static Topology build(ProcessorSettings settings, GroupEvaluator evaluator, TargetCounts targetCounts) {
        return build(settings, evaluator, targetCounts, () -> true);
    }

    /**
     * @param brokerReachable whether the Kafka cluster answers now; the per-target stage expires silent targets on
     *     the wall clock only after it has been reachable for the whole expiry period (see {@link TargetStageProcessor});
     *     the rule stage evaluates a query time only if the cluster has answered since (see {@link RuleStageProcessor})
     */
    public static Topology build(ProcessorSettings settings, GroupEvaluator evaluator, TargetCounts targetCounts,
            BooleanSupplier brokerReachable) {
        Serde<ScrapeBatch> raw = KpromSerdes.scrapeBatch(Map.of());
        Serde<SeriesBatch> series = KpromSerdes.seriesBatch(Map.of());
        Serde<MetricMetadata> metadata = KpromSerdes.metricMetadata(Map.of());
        Serializer<String> keys = Serdes.String().serializer();
        Map<String, String> changelog = Map.of("max.message.bytes", "8388608");
        RuleSelectorIndex ruleIndex = new RuleSelectorIndex(settings.ruleGroups());

        Topology topology = new Topology();
        topology.addSource("raw-source", Serdes.String().deserializer(), raw.deserializer(), settings.rawTopic());
        topology.addProcessor("target-stage", () -> new TargetStageProcessor(settings, targetCounts, brokerReachable), "raw-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(persistent(TargetStageProcessor.TARGET_STATE_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(changelog), "target-stage");
        topology.addStateStore(Stores.keyValueStoreBuilder(persistent(TargetStageProcessor.TARGET_SERIES_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingEnabled(changelog), "target-stage");
        topology.addStateStore(Stores.keyValueStoreBuilder(persistent(TargetStageProcessor.METADATA_STORE),
                Serdes.String(), Serdes.String()).withLoggingEnabled(changelog), "target-stage");
        topology.addSink(TargetStageProcessor.SERIES_SINK, settings.seriesTopic(), keys, series.serializer(),
                SeriesShards.partitioner(), "target-stage");
        topology.addSink(TargetStageProcessor.METADATA_SINK, settings.metadataTopic(), keys, metadata.serializer(),
                "target-stage");

        // The series stage forwards most batches unchanged: keep their input bytes instead of encoding them again.
        Serde<SeriesBatch> passThrough = new PassThroughSeriesSerde(series, SINGLE_OBJECT_HEADER_LENGTH);
        topology.addSource("series-source", Serdes.String().deserializer(), passThrough.deserializer(), settings.seriesTopic());
        topology.addProcessor("series-stage", () -> new SeriesStageProcessor(settings, ruleIndex), "series-source");
        topology.addStateStore(Stores.keyValueStoreBuilder(persistent(SeriesStageProcessor.ACTIVE_SERIES_STORE),
                Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled().withLoggingEnabled(changelog), "series-stage");
        topology.addSink(SeriesStageProcessor.SAMPLES_SINK, settings.samplesTopic(), keys, passThrough.serializer(),
                SeriesShards.partitioner(), "series-stage");
        topology.addSink(SeriesStageProcessor.RULE_INPUT_SINK, settings.ruleInputTopic(), keys, series.serializer(),
                RulePartitioning.partitioner(), "series-stage");

        topology.addSource("rule-source", Serdes.String().deserializer(), series.deserializer(), settings.ruleInputTopic());
        topology.addProcessor("rule-stage", () -> new RuleStageProcessor(settings, evaluator, brokerReachable), "rule-source");
        for (String store : new String[] {RuleStageProcessor.RULE_SERIES_STORE, RuleStageProcessor.RULE_SAMPLES_STORE}) {
            topology.addStateStore(Stores.keyValueStoreBuilder(persistent(store), Serdes.Bytes(), Serdes.ByteArray())
                    .withLoggingEnabled(changelog), "rule-stage");
        }
        topology.addStateStore(Stores.keyValueStoreBuilder(persistent(RuleStageProcessor.RULE_STATE_STORE),
                Serdes.String(), Serdes.ByteArray()).withLoggingEnabled(changelog), "rule-stage");
        topology.addSink(RuleStageProcessor.RECORDED_SINK, settings.samplesTopic(), keys, series.serializer(),
                SeriesShards.partitioner(), "rule-stage");
        return topology;
    }

    private static KeyValueBytesStoreSupplier persistent(String name) {
        return Stores.persistentKeyValueStore(name);
    }
}

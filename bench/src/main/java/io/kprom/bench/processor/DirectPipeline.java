package io.kprom.bench.processor;

import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.rules.GroupEvaluator;
import io.kprom.processor.rules.RuleSelectorIndex;
import io.kprom.processor.rules.RuleStageProcessor;
import io.kprom.processor.series.PassThroughSeriesSerde;
import io.kprom.processor.series.SeriesStageProcessor;
import io.kprom.processor.target.LocalTargetCounts;
import io.kprom.processor.target.TargetStageProcessor;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The processor's three stages wired in one thread, as the topology wires them through topics:
 * every hop serializes and deserializes the record with the real serdes, stores are sorted
 * in-memory maps (no RocksDB, no changelog, no Kafka I/O). Counts what reaches
 * {@code metrics.samples}. Not thread-safe.
 */
final class DirectPipeline {
    private final Serde<ScrapeBatch> rawSerde = KpromSerdes.scrapeBatch(Map.of());
    private final Serde<SeriesBatch> seriesSerde = KpromSerdes.seriesBatch(Map.of());
    /** As ProcessorTopology wires it: the series source decodes with it, the samples sink encodes with it. */
    private final Serde<SeriesBatch> passThrough = new PassThroughSeriesSerde(seriesSerde, 10);
    private final TargetStageProcessor targetStage;
    private final SeriesStageProcessor seriesStage;
    private final RuleStageProcessor ruleStage;
    private final DirectContext<String, Object> targetContext;
    private final DirectContext<String, SeriesBatch> seriesContext;
    private final DirectContext<String, SeriesBatch> ruleContext;
    long samplesOut;
    long recordedOut;

    @SuppressWarnings({"unchecked", "rawtypes"})
    DirectPipeline(ProcessorSettings settings, GroupEvaluator evaluator, long startMillis) {
        targetStage = new TargetStageProcessor(settings, new LocalTargetCounts());
        seriesStage = new SeriesStageProcessor(settings, new RuleSelectorIndex(settings.ruleGroups()));
        ruleStage = new RuleStageProcessor(settings, evaluator);
        ruleContext = new DirectContext<>(startMillis, (child, record) -> count(record, true));
        seriesContext = new DirectContext<>(startMillis, (child, record) -> {
            if (SeriesStageProcessor.RULE_INPUT_SINK.equals(child)) {
                ruleStage.process(hop((Record<String, SeriesBatch>) record, seriesSerde));
            } else {
                count(record, false);
            }
        });
        targetContext = new DirectContext<>(startMillis, (child, record) -> {
            if (TargetStageProcessor.SERIES_SINK.equals(child)) {
                seriesStage.process(hop((Record<String, SeriesBatch>) (Record) record, passThrough));
            }
        });
        targetContext.addStore(new MapKeyValueStore<String, byte[]>(TargetStageProcessor.TARGET_STATE_STORE));
        targetContext.addStore(new MapKeyValueStore<Bytes, byte[]>(TargetStageProcessor.TARGET_SERIES_STORE));
        targetContext.addStore(new MapKeyValueStore<String, String>(TargetStageProcessor.METADATA_STORE));
        seriesContext.addStore(new MapKeyValueStore<Bytes, byte[]>(SeriesStageProcessor.ACTIVE_SERIES_STORE));
        ruleContext.addStore(new MapKeyValueStore<Bytes, byte[]>(RuleStageProcessor.RULE_SERIES_STORE));
        ruleContext.addStore(new MapKeyValueStore<Bytes, byte[]>(RuleStageProcessor.RULE_SAMPLES_STORE));
        ruleContext.addStore(new MapKeyValueStore<String, byte[]>(RuleStageProcessor.RULE_STATE_STORE));
        targetStage.init((DirectContext) targetContext);
        seriesStage.init(seriesContext);
        ruleStage.init(ruleContext);
    }

    /** One scrape through all stages (the input is serialized and decoded as the source topic would). */
    void process(String targetKey, ScrapeBatch batch) {
        ScrapeBatch decoded = rawSerde.deserializer().deserialize("metrics.raw",
                rawSerde.serializer().serialize("metrics.raw", batch));
        targetStage.process(new Record<>(targetKey, decoded, batch.getScrapeTimestampMillis()));
    }

    /** Moves every stage's wall clock (fires punctuations: rule evaluations, expiry). */
    void advanceTo(long millis) {
        targetContext.advanceTo(millis);
        seriesContext.advanceTo(millis);
        ruleContext.advanceTo(millis);
    }

    private Record<String, SeriesBatch> hop(Record<String, SeriesBatch> record, Serde<SeriesBatch> source) {
        byte[] bytes = seriesSerde.serializer().serialize("hop", record.value());
        return record.withValue(source.deserializer().deserialize("hop", bytes));
    }

    private void count(Record<?, ?> record, boolean recorded) {
        SeriesBatch batch = (SeriesBatch) record.value();
        byte[] bytes = (recorded ? seriesSerde : passThrough).serializer().serialize("metrics.samples", batch);
        int samples = 0;
        for (var series : batch.getSeries()) {
            samples += series.getValues().size();
        }
        if (bytes.length > 0) {
            if (recorded) {
                recordedOut += samples;
            } else {
                samplesOut += samples;
            }
        }
    }
}

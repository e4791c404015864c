package io.kprom.processor;

import static io.kprom.processor.TopologyFixture.many;
import static io.kprom.processor.TopologyFixture.remoteWrite;
import static io.kprom.processor.TopologyFixture.rw;
import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.processor.config.ProcessorSettings;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.processor.rules.GroupEvaluator;
import io.kprom.processor.rules.RecordingGroup;
import io.kprom.processor.rules.RecordingRule;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series stage forwards a batch whose series all pass without re-encoding it: the bytes on
 * {@code metrics.samples} are then the bytes read from the series topic, and every batch it changes
 * (dropped series, split batches, rule input) is encoded afresh from what it really holds.
 */
class SeriesPassThroughTest {
    private static final long T0 = TopologyFixture.START.toEpochMilli();
    private static final Serde<SeriesBatch> SERDE = KpromSerdes.seriesBatch(Map.of());
    @TempDir
    Path stateDir;

    private static final class Topics implements AutoCloseable {
        final TopologyFixture fixture;
        final TestOutputTopic<String, byte[]> series;
        final TestOutputTopic<String, byte[]> samples;
        final TestOutputTopic<String, byte[]> ruleInput;

        Topics(ProcessorSettings settings, GroupEvaluator evaluator, Path stateDir) {
            fixture = new TopologyFixture(settings, evaluator, stateDir);
            series = bytes(settings.seriesTopic());
            samples = bytes(settings.samplesTopic());
            ruleInput = bytes(settings.ruleInputTopic());
        }

        private TestOutputTopic<String, byte[]> bytes(String topic) {
            return fixture.driver.createOutputTopic(topic, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        }

        @Override
        public void close() {
            fixture.close();
        }
    }

    private static List<byte[]> values(TestOutputTopic<String, byte[]> topic) {
        return topic.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    private static List<Series> decodeAll(List<byte[]> records) {
        List<Series> all = new ArrayList<>();
        for (byte[] bytes : records) {
            all.addAll(SERDE.deserializer().deserialize("t", bytes).getSeries());
        }
        return all;
    }

    /** Each record is exactly what encoding its decoded content gives (no stale bytes of another batch). */
    private static void assertCanonical(List<byte[]> records) {
        for (byte[] bytes : records) {
            SeriesBatch decoded = SERDE.deserializer().deserialize("t", bytes);
            assertThat(SERDE.serializer().serialize("t", new SeriesBatch(new ArrayList<>(decoded.getSeries())))).isEqualTo(bytes);
        }
    }

    private ProcessorSettings.Builder settings() {
        return ProcessorSettings.builder().seriesShards(1);
    }

    @Test
    void batchWhoseSeriesAllPassIsForwardedByteForByte() {
        try (Topics t = new Topics(settings().build(), null, stateDir)) {
            for (int scrape = 0; scrape < 3; scrape++) {
                long at = T0 + scrape * 15_000L;
                t.fixture.raw.pipeInput("rw", remoteWrite(at, many("pt_m", "pt", 20, at, scrape)), at);
            }
            List<byte[]> in = values(t.series);
            List<byte[]> out = values(t.samples);
            assertThat(in).hasSize(3);
            assertThat(out).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(out.get(i)).isEqualTo(in.get(i));
            }
            assertCanonical(out);
            assertThat(decodeAll(out)).hasSize(60).allSatisfy(s -> assertThat(s.getLabels()).contains("pt"));
        }
    }

    @Test
    void droppedSeriesAreLeftOutOfAFreshlyEncodedBatch() {
        SeriesLimits limits = new SeriesLimits(3, 0, Map.of(), Duration.ofMinutes(1), 5);
        try (Topics t = new Topics(settings().seriesLimits(limits).build(), null, stateDir)) {
            t.fixture.raw.pipeInput("rw", remoteWrite(T0, many("dr_m", "dr", 5, T0, 1)), T0);
            List<byte[]> in = values(t.series);
            List<byte[]> out = values(t.samples);
            assertThat(out).hasSize(1);
            assertThat(out.get(0)).isNotEqualTo(in.get(0));
            assertCanonical(out);
            List<Series> expected = decodeAll(in).subList(0, 3);
            assertThat(decodeAll(out)).isEqualTo(expected);
            // The next scrape of the same 5: the 3 known pass, 2 still dropped, again re-encoded.
            t.fixture.raw.pipeInput("rw", remoteWrite(T0 + 15_000, many("dr_m", "dr", 5, T0 + 15_000, 2)), T0 + 15_000);
            in = values(t.series);
            out = values(t.samples);
            assertCanonical(out);
            assertThat(decodeAll(out)).isEqualTo(decodeAll(in).subList(0, 3));
        }
    }

    @Test
    void batchAboveTheRecordLimitIsSplitInOrder() {
        ProcessorSettings settings = settings().maxSeriesPerRecord(3).build();
        try (Topics t = new Topics(settings, null, stateDir)) {
            // A series-topic record larger than this instance's limit (written by an instance with a larger one).
            List<Series> seven = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                seven.add(new Series(Labels.of("__name__", "sp_m" + i, "job", "sp").toList(), List.of(T0), List.of((double) i),
                        null, null));
            }
            byte[] in = SERDE.serializer().serialize("t", new SeriesBatch(seven));
            t.fixture.driver.createInputTopic(settings.seriesTopic(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
                    .pipeInput("0", in, T0);
            List<byte[]> out = values(t.samples);
            assertThat(out).hasSize(3);
            assertCanonical(out);
            assertThat(decodeAll(out)).isEqualTo(seven);
            assertThat(out).extracting(bytes -> SERDE.deserializer().deserialize("t", bytes).getSeries().size())
                    .containsExactly(3, 3, 1);
        }
    }

    @Test
    void staleMarkersOfAFailedScrapePassThroughWithTheirNaNPayload() {
        try (Topics t = new Topics(settings().build(), null, stateDir)) {
            var target = TopologyFixture.target("stale", "h:1");
            t.fixture.pipe(TopologyFixture.key(target), TopologyFixture.scrape(target, T0,
                    List.of(TopologyFixture.series(1, "__name__", "st_a"), TopologyFixture.series(2, "__name__", "st_b"))));
            t.fixture.pipe(TopologyFixture.key(target), TopologyFixture.failedScrape(target, T0 + 15_000));
            List<byte[]> in = values(t.series);
            List<byte[]> out = values(t.samples);
            assertThat(out).hasSize(in.size());
            for (int i = 0; i < in.size(); i++) {
                assertThat(out.get(i)).isEqualTo(in.get(i));
            }
            List<Series> last = SERDE.deserializer().deserialize("t", out.get(out.size() - 1)).getSeries();
            List<Series> scraped = last.stream().filter(s -> s.getLabels().contains("st_a") || s.getLabels().contains("st_b")).toList();
            assertThat(scraped).hasSize(2).allSatisfy(s -> assertThat(TopologyFixture.isStale(s.getValues().get(0))).isTrue());
            assertThat(last.stream().filter(s -> s.getLabels().contains("up")).findFirst().orElseThrow().getValues()).containsExactly(0.0);
        }
    }

    @Test
    void ruleInputGetsOnlyTheSelectedSeriesWhileTheSamplesPassThrough() {
        RecordingGroup group = new RecordingGroup("ri", 30_000, 0, 0,
                List.of(new RecordingRule("rec:ri", "ri_in", Labels.EMPTY)),
                List.of(List.of(LabelMatcher.equal("__name__", "ri_in"))), 120_000);
        GroupEvaluator evaluator = (g, data, time) -> new GroupEvaluator.Result(List.of(), List.of());
        try (Topics t = new Topics(settings().ruleGroups(List.of(group)).build(), evaluator, stateDir)) {
            List<RawSeries> input = List.of(rw("ri_in", "ri", T0, 1), rw("ri_other", "ri", T0, 2), rw("ri_in", "ri2", T0, 3));
            for (int scrape = 0; scrape < 2; scrape++) {
                // The second scrape finds the rule groups in the index rather than matching them again.
                t.fixture.raw.pipeInput("rw", remoteWrite(T0 + scrape * 15_000L, input), T0 + scrape * 15_000L);
                List<byte[]> in = values(t.series);
                List<byte[]> out = values(t.samples);
                assertThat(out).hasSize(1);
                assertThat(out.get(0)).isEqualTo(in.get(0));
                List<byte[]> rules = values(t.ruleInput);
                assertCanonical(rules);
                assertThat(decodeAll(rules)).extracting(s -> Labels.fromList(s.getLabels()))
                        .containsExactly(Labels.of("__name__", "ri_in", "job", "ri"), Labels.of("__name__", "ri_in", "job", "ri2"));
            }
        }
    }
}

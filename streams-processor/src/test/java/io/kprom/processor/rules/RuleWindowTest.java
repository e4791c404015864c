package io.kprom.processor.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The window's in-memory mirror answers like the stores it mirrors, and a new window (a restart) rebuilds it from them. */
class RuleWindowTest {
    private static final Labels A = Labels.of("__name__", "req", "instance", "a");
    private static final Labels B = Labels.of("__name__", "req", "instance", "b");
    private static final Labels OTHER = Labels.of("__name__", "other", "instance", "a");

    private KeyValueStore<Bytes, byte[]> series;
    private KeyValueStore<Bytes, byte[]> samples;

    @BeforeEach
    void stores() {
        series = store("series");
        samples = store("samples");
    }

    @Test
    void queriesSeeAppendedSamplesInTimeOrderAndARestartSeesTheSame() {
        RuleWindow window = new RuleWindow(7, series, samples);
        window.append(A, List.of(1_000L, 2_000L), List.of(1.0, 2.0), Long.MIN_VALUE);
        window.append(A.toList(), A.stableHash(), List.of(4_000L), List.of(4.0), Long.MIN_VALUE);
        // Out of order, and a rewrite of an existing timestamp.
        window.append(A, List.of(3_000L, 2_000L), List.of(3.0, 2.5), Long.MIN_VALUE);
        window.append(B, List.of(500L, 5_000L), List.of(0.5, 5.0), 1_000L);
        window.append(OTHER, List.of(1_000L), List.of(9.0), Long.MIN_VALUE);

        Map<Labels, List<String>> expected = new LinkedHashMap<>();
        expected.put(A, List.of("2000=2.5", "3000=3.0", "4000=4.0"));
        expected.put(B, List.of("5000=5.0"));
        assertThat(select(window, 2_000, 5_000)).isEqualTo(expected);
        assertThat(select(new RuleWindow(7, series, samples), 2_000, 5_000)).isEqualTo(expected);
        // Another group's window over the same stores sees nothing.
        assertThat(select(new RuleWindow(8, series, samples), 0, 10_000)).isEmpty();
    }

    @Test
    void pruneDeletesOldSamplesAndEmptySeriesFromTheStores() {
        RuleWindow window = new RuleWindow(7, series, samples);
        window.append(A, List.of(1_000L, 2_000L, 3_000L), List.of(1.0, 2.0, 3.0), Long.MIN_VALUE);
        window.append(B, List.of(1_000L), List.of(1.0), Long.MIN_VALUE);
        window.prune(2_000);

        assertThat(select(window, 0, 10_000)).isEqualTo(Map.of(A, List.of("3000=3.0")));
        assertThat(sampleTimestamps()).containsExactly(3_000L);
        assertThat(count(series)).isEqualTo(1);
        assertThat(select(new RuleWindow(7, series, samples), 0, 10_000)).isEqualTo(Map.of(A, List.of("3000=3.0")));
    }

    private static Map<Labels, List<String>> select(RuleWindow window, long start, long end) {
        Map<Labels, List<String>> result = new LinkedHashMap<>();
        try (Querier querier = window.querier(start, end);
                SeriesSet set = querier.select(true, new SelectHints(start, end, 0, null, 0),
                        List.of(LabelMatcher.equal("__name__", "req")))) {
            while (set.next()) {
                List<String> points = new ArrayList<>();
                for (int i = 0; i < set.samples().length(); i++) {
                    points.add(set.samples().timestamp(i) + "=" + set.samples().value(i));
                }
                result.put(set.labels(), points);
            }
        }
        return result;
    }

    private List<Long> sampleTimestamps() {
        List<Long> timestamps = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> iterator = samples.all()) {
            iterator.forEachRemaining(entry -> timestamps.add(ByteBuffer.wrap(entry.key.get()).getLong(12)));
        }
        return timestamps;
    }

    private static int count(KeyValueStore<Bytes, byte[]> store) {
        int count = 0;
        try (KeyValueIterator<Bytes, byte[]> iterator = store.all()) {
            while (iterator.hasNext()) {
                iterator.next();
                count++;
            }
        }
        return count;
    }

    private static KeyValueStore<Bytes, byte[]> store(String name) {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.Bytes(),
                Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }
}

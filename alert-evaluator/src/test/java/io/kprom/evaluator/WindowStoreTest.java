package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The indexed window answers every selector exactly as an unindexed scan (promql's InMemoryQuerier) does. */
class WindowStoreTest {
    private static final long RETENTION = 1_000_000;

    private static List<Labels> series() {
        List<Labels> out = new ArrayList<>();
        for (int job = 0; job < 3; job++) {
            for (int instance = 0; instance < 4; instance++) {
                Labels.Builder builder = Labels.builder().set("__name__", "http_requests_total")
                        .set("job", "job" + job).set("instance", "host-" + instance);
                if (instance % 2 == 0) {
                    builder.set("code", "500");
                }
                out.add(builder.build());
            }
        }
        out.add(Labels.of("__name__", "up", "job", "job0", "instance", "host-0"));
        out.add(Labels.of("__name__", "up", "job", "job1"));
        return out;
    }

    static Stream<Arguments> selectors() {
        return Stream.of(
                Arguments.of("name only", List.of(LabelMatcher.equal("__name__", "http_requests_total"))),
                Arguments.of("name and job", List.of(LabelMatcher.equal("__name__", "http_requests_total"),
                        LabelMatcher.equal("job", "job1"))),
                Arguments.of("absent label by empty equality", List.of(LabelMatcher.equal("__name__", "http_requests_total"),
                        LabelMatcher.equal("code", ""))),
                Arguments.of("unknown value", List.of(LabelMatcher.equal("job", "nope"))),
                Arguments.of("unknown label", List.of(LabelMatcher.equal("zone", "a"))),
                Arguments.of("regex only", List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "job", "job[01]"))),
                Arguments.of("not equal", List.of(LabelMatcher.equal("__name__", "up"),
                        LabelMatcher.of(LabelMatcher.Type.NOT_EQUAL, "instance", "host-0"))),
                Arguments.of("non-empty regex", List.of(LabelMatcher.of(LabelMatcher.Type.REGEX, "code", ".+"))),
                Arguments.of("negative regex", List.of(LabelMatcher.equal("job", "job0"),
                        LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "__name__", "up"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selectors")
    void selectsWhatAFullScanSelects(String name, List<LabelMatcher> matchers) {
        WindowStore window = new WindowStore(RETENTION);
        InMemoryQuerier reference = new InMemoryQuerier();
        int i = 0;
        for (Labels labels : series()) {
            for (long t = 0; t < 10; t++) {
                window.append(labels, t * 1000 + i, t + i);
                reference.append(labels, t * 1000 + i, t + i);
            }
            i++;
        }
        SelectHints hints = new SelectHints(2_000, 6_005, 0, null, 0);
        try (Querier querier = window.querier(0, 100_000)) {
            assertThat(read(querier.select(true, hints, matchers)))
                    .isEqualTo(read(reference.select(true, hints, matchers)).stream()
                            .filter(line -> !line.endsWith("[]")).toList());
            assertThat(querier.labelValues("instance", matchers))
                    .isEqualTo(reference.labelValues("instance", matchers));
            assertThat(querier.labelNames(matchers)).isEqualTo(reference.labelNames(matchers));
        }
    }

    /** Each series as "labels [t=v ...]", read through the cursor as the engine reads it. */
    private static List<String> read(SeriesSet set) {
        List<String> out = new ArrayList<>();
        while (set.next()) {
            StringBuilder line = new StringBuilder(set.labels().toString()).append(" [");
            for (int j = 0; j < set.samples().length(); j++) {
                line.append(j == 0 ? "" : " ").append(set.samples().timestamp(j)).append('=').append(set.samples().value(j));
            }
            out.add(line.append(']').toString());
        }
        return out;
    }

    @Test
    void evictionRemovesEmptySeriesFromTheIndex() {
        WindowStore window = new WindowStore(10_000);
        Labels old = Labels.of("__name__", "up", "job", "old");
        Labels fresh = Labels.of("__name__", "up", "job", "fresh");
        window.append(old, 1_000, 1);
        window.append(fresh, 1_000, 1);
        window.append(fresh, 20_000, 1);
        window.evict(25_000);
        assertThat(window.seriesCount()).isEqualTo(1);
        try (Querier querier = window.querier(0, 100_000)) {
            assertThat(querier.labelValues("job", List.of(LabelMatcher.equal("__name__", "up")))).containsExactly("fresh");
            assertThat(read(querier.select(false, null, List.of(LabelMatcher.equal("job", "old"))))).isEmpty();
        }
        // A series that comes back is indexed again.
        window.append(old, 30_000, 2);
        try (Querier querier = window.querier(0, 100_000)) {
            assertThat(read(querier.select(false, null, List.of(LabelMatcher.equal("job", "old")))))
                    .containsExactly(old + " [30000=2.0]");
        }
    }
}

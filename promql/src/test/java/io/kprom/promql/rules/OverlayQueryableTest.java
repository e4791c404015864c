package io.kprom.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayQueryableTest {
    @Test
    void mergesOverlaySamplesIntoBaseSeriesAndAddsNewSeries() {
        InMemoryQuerier base = new InMemoryQuerier()
                .append(Labels.of("__name__", "r"), 1000, 1)
                .append(Labels.of("__name__", "r"), 2000, 2)
                .append(Labels.of("__name__", "other"), 1000, 9);
        OverlayQueryable overlay = new OverlayQueryable((min, max) -> base);
        overlay.add(Labels.of("__name__", "r"), 2000, 20);
        overlay.add(Labels.of("__name__", "r"), 3000, 30);
        overlay.add(Labels.of("__name__", "new"), 3000, 5);
        List<String> seen = new ArrayList<>();
        try (Querier querier = overlay.querier(0, 5000);
                SeriesSet set = querier.select(true, null, List.of(LabelMatcher.of(LabelMatcher.Type.REGEX,
                        "__name__", "r|new")))) {
            while (set.next()) {
                StringBuilder sb = new StringBuilder(set.labels().metricName()).append(':');
                for (int i = 0; i < set.samples().length(); i++) {
                    sb.append(' ').append(set.samples().timestamp(i)).append('=').append(set.samples().value(i));
                }
                seen.add(sb.toString());
            }
        }
        assertThat(seen).containsExactly("new: 3000=5.0", "r: 1000=1.0 2000=20.0 3000=30.0");
    }
}

package io.kprom.sink.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeriesBufferTest {
    static final Labels A = Labels.of("__name__", "a");
    static final Labels B = Labels.of("__name__", "b");

    @Test
    void cutsBatchesAtMaxSamplesKeepingSeriesOrder() {
        SeriesBuffer buffer = new SeriesBuffer();
        for (int i = 0; i < 5; i++) {
            buffer.add(A, i, i);
            buffer.add(B, 100 + i, i);
        }
        assertThat(buffer.samples()).isEqualTo(10);
        List<List<SeriesBuffer.SeriesSamples>> batches = buffer.drainBatches(4);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0)).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(A);
            assertThat(s.timestamps()).containsExactly(0, 1, 2, 3);
        });
        assertThat(batches.get(1)).hasSize(2);
        assertThat(batches.get(1).get(0).timestamps()).containsExactly(4);
        assertThat(batches.get(1).get(1).timestamps()).containsExactly(100, 101, 102);
        assertThat(batches.get(2)).singleElement().satisfies(s -> assertThat(s.timestamps()).containsExactly(103, 104));
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.drainBatches(4)).isEmpty();
    }
}

package io.kprom.processor.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ActiveSeriesIndexTest {
    @Test
    void behavesLikeAMapUnderRandomPutsAndRemoves() {
        ActiveSeriesIndex index = new ActiveSeriesIndex(4);
        Map<Long, long[]> reference = new HashMap<>();
        Random random = new Random(42);
        for (int op = 0; op < 200_000; op++) {
            // A small key space (including 0 and -1) forces collisions, deletes and slot reuse.
            long hash = random.nextInt(5_000) - 2;
            if (random.nextInt(3) == 0) {
                index.remove(hash);
                reference.remove(hash);
            } else {
                long lastSeen = random.nextLong();
                int job = random.nextInt(10);
                long groups = random.nextBoolean() ? ActiveSeriesIndex.GROUPS_UNKNOWN : random.nextInt(1 << 20);
                index.put(hash, lastSeen, job, groups);
                reference.put(hash, new long[] {lastSeen, job, groups});
            }
        }
        assertThat(index.size()).isEqualTo(reference.size());
        for (long hash = -2; hash < 4_998; hash++) {
            long[] expected = reference.get(hash);
            assertThat(index.find(hash)).as("hash %d", hash).isEqualTo(expected != null);
            if (expected != null) {
                assertThat(new long[] {index.lastSeen(), index.job(), index.groups()}).isEqualTo(expected);
            }
        }
    }

    @Test
    void touchAndSetGroupsChangeTheFoundSeries() {
        ActiveSeriesIndex index = new ActiveSeriesIndex(16);
        index.put(11, 100, 0, ActiveSeriesIndex.GROUPS_UNKNOWN);
        index.put(12, 100, 1, ActiveSeriesIndex.GROUPS_UNKNOWN);
        assertThat(index.find(11)).isTrue();
        index.touch(200);
        index.setGroups(0b101);
        assertThat(index.find(12)).isTrue();
        assertThat(index.lastSeen()).isEqualTo(100);
        assertThat(index.find(11)).isTrue();
        assertThat(index.lastSeen()).isEqualTo(200);
        assertThat(index.groups()).isEqualTo(0b101);
    }
}

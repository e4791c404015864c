package io.kprom.processor.series;

import io.kprom.common.labels.Labels;
import java.util.List;

/**
 * {@link Labels#stableHash()} of an Avro label list without building a {@link Labels}: the lists
 * on the series topic are already canonical (sorted by name, no empty values), so hashing them
 * directly gives the same value. A list that is not canonical is normalised first. Stateless.
 */
public final class SeriesHash {
    private SeriesHash() {
    }

    public static long of(List<String> namesAndValues) {
        int size = namesAndValues.size();
        if (size % 2 != 0) {
            return Labels.fromList(namesAndValues).stableHash();
        }
        long h = 0xcbf29ce484222325L;
        String previousName = null;
        for (int i = 0; i < size; i++) {
            String s = namesAndValues.get(i);
            if (i % 2 == 0) {
                if (previousName != null && previousName.compareTo(s) >= 0) {
                    return Labels.fromList(namesAndValues).stableHash();
                }
                previousName = s;
            } else if (s.isEmpty()) {
                return Labels.fromList(namesAndValues).stableHash();
            }
            for (int j = 0, n = s.length(); j < n; j++) {
                char c = s.charAt(j);
                h ^= (c & 0xff);
                h *= 0x100000001b3L;
                h ^= (c >>> 8);
                h *= 0x100000001b3L;
            }
            h ^= 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}

package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Helpers over lists of {@link StepSeries}. */
final class Vectors {
    private Vectors() {
    }

    /** Number of present points, the unit of the max-samples limit. */
    static long points(List<StepSeries> series) {
        long points = 0;
        for (StepSeries s : series) {
            points += s.count();
        }
        return points;
    }

    /**
     * Merges series that ended up with the same labels (e.g. after dropping the metric name) into
     * one, as they are one series of the result; fails as Prometheus does if two of them have a
     * value at the same step.
     */
    static List<StepSeries> mergeSameLabels(List<StepSeries> series) {
        if (series.size() < 2) {
            return series;
        }
        Map<Labels, StepSeries> byLabels = new HashMap<>(series.size() * 2);
        List<StepSeries> result = new ArrayList<>(series.size());
        for (StepSeries s : series) {
            StepSeries existing = byLabels.putIfAbsent(s.labels(), s);
            if (existing == null) {
                result.add(s);
            } else if (!existing.mergeFrom(s)) {
                throw new QueryException(QueryException.ErrorType.EXECUTION,
                        "vector cannot contain metrics with the same labelset");
            }
        }
        return result;
    }
}

package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import java.util.List;

/** An evaluated sub-expression over a {@link StepGrid}. */
sealed interface Operand {
    /** A scalar per step. */
    record Scalar(double[] values) implements Operand {
    }

    /** A string (the same at every step). */
    record Text(String value) implements Operand {
    }

    /** An instant vector at every step, one {@link StepSeries} per distinct label set. */
    record Vector(List<StepSeries> series) implements Operand {
    }

    /** A range vector, only as a query's result: raw samples in the window of a single step. */
    record Matrix(List<RawSeries> series) implements Operand {
    }

    /** Samples of one series, ascending in time. */
    record RawSeries(Labels labels, long[] timestamps, double[] values) {
    }
}

package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import java.util.List;

/** A PromQL result value, typed as the HTTP API reports it ({@code resultType}). */
public sealed interface Value {
    /** "scalar", "string", "vector" or "matrix". */
    String resultType();

    record ScalarValue(long timestampMillis, double value) implements Value {
        public String resultType() {
            return "scalar";
        }
    }

    record StringValue(long timestampMillis, String value) implements Value {
        public String resultType() {
            return "string";
        }
    }

    /** One float sample of an instant vector. */
    record Sample(Labels labels, long timestampMillis, double value) {
    }

    record VectorValue(List<Sample> samples) implements Value {
        public String resultType() {
            return "vector";
        }
    }

    /** One series of a range result; arrays are parallel and ascending in time. */
    record SeriesValue(Labels labels, long[] timestamps, double[] values) {
    }

    record MatrixValue(List<SeriesValue> series) implements Value {
        public String resultType() {
            return "matrix";
        }
    }
}

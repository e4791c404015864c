package io.kprom.promql.engine;

import io.kprom.common.labels.Labels;
import io.kprom.promql.ast.Expr;
import java.util.function.Consumer;

/**
 * The raw samples behind a range-vector argument (a matrix selector read from storage, or a subquery
 * evaluated on its own grid), streamed series by series, plus the window each step reads:
 * {@code (windowEnds[step] - rangeMillis, windowEnds[step]]}.
 */
final class RangeSource {
    /** Receives one series; the arrays are reused after the call returns, valid entries are {@code [0, length)}. */
    @FunctionalInterface
    interface SeriesConsumer {
        void accept(Labels labels, long[] timestamps, double[] values, int length);
    }

    private final long[] windowEnds;
    private final long rangeMillis;
    private final Expr expr;
    private final Consumer<SeriesConsumer> producer;

    RangeSource(long[] windowEnds, long rangeMillis, Expr expr, Consumer<SeriesConsumer> producer) {
        this.windowEnds = windowEnds;
        this.rangeMillis = rangeMillis;
        this.expr = expr;
        this.producer = producer;
    }

    long[] windowEnds() {
        return windowEnds;
    }

    long rangeMillis() {
        return rangeMillis;
    }

    /** The selector or subquery body this source reads. */
    Expr expr() {
        return expr;
    }

    void forEachSeries(SeriesConsumer consumer) {
        producer.accept(consumer);
    }
}

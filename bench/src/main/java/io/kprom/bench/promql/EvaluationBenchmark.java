package io.kprom.bench.promql;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Queryable;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Range-query evaluation over 10 000 series x 1 h at a 15 s step (241 steps), with samples every
 * 15 s (plus the 5 m before the range that {@code [5m]} windows read): 2.6 million samples per metric.
 *
 * <pre>
 * bench/run-jmh.sh 'promql.EvaluationBenchmark' -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvaluationBenchmark {
    private static final long STEP_MILLIS = 15_000;
    private static final long START_MILLIS = 1_700_000_000_000L;
    private static final long END_MILLIS = START_MILLIS + 3_600_000;
    private static final String[] BUCKET_BOUNDS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
            "+Inf"};

    @Param({"10000"})
    int series;

    private Queryable storage;
    private final PromqlEngine engine = new PromqlEngine();

    @Setup
    public void load() {
        InMemoryQuerier querier = new InMemoryQuerier();
        Random random = new Random(1);
        long first = START_MILLIS - 300_000;
        for (int i = 0; i < series; i++) {
            Labels labels = Labels.of("__name__", "x", "job", "job" + (i % 10), "instance", "host" + i);
            double value = 0;
            for (long t = first; t <= END_MILLIS; t += STEP_MILLIS) {
                value += random.nextInt(100);
                querier.append(labels, t + 1_000, value);
            }
        }
        // The same number of bucket series: series / 10 histograms with 10 buckets each.
        for (int h = 0; h < series / BUCKET_BOUNDS.length; h++) {
            double[] counts = new double[BUCKET_BOUNDS.length];
            for (long t = first; t <= END_MILLIS; t += STEP_MILLIS) {
                double running = 0;
                for (int b = 0; b < BUCKET_BOUNDS.length; b++) {
                    running += random.nextInt(10);
                    counts[b] += running;
                }
                for (int b = 0; b < BUCKET_BOUNDS.length; b++) {
                    querier.append(Labels.of("__name__", "h_bucket", "job", "job" + (h % 10), "instance", "host" + h,
                            "le", BUCKET_BOUNDS[b]), t + 2_000, counts[b]);
                }
            }
        }
        storage = (min, max) -> querier;
    }

    @Benchmark
    public QueryResult sumByJobRate() {
        return engine.rangeQuery(storage, "sum by (job) (rate(x[5m]))", START_MILLIS, END_MILLIS, STEP_MILLIS,
                QueryOptions.defaults());
    }

    @Benchmark
    public QueryResult histogramQuantileOfSummedRates() {
        return engine.rangeQuery(storage, "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))", START_MILLIS,
                END_MILLIS, STEP_MILLIS, QueryOptions.defaults());
    }
}

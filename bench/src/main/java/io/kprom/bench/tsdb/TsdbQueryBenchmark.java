package io.kprom.bench.tsdb;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code query_range} latency of {@code sum by (job) (rate(x[5m]))} over 10 000 counter series x 1 h
 * (15 s scrapes, 10 jobs), step 15 s, through the PromQL engine over the RocksDB store (flushed and
 * compacted, so the data is read from disk chunks); plus the raw select of the same series.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class TsdbQueryBenchmark {
    static final int SERIES = 10_000;
    static final long START = 1_700_000_000_000L;
    static final long HOUR = 3_600_000;
    static final long STEP = 15_000;

    private Path dir;
    private SeriesStore store;
    private final PromqlEngine engine = new PromqlEngine();

    @Setup(Level.Trial)
    public void load() throws Exception {
        dir = Files.createTempDirectory("tsdb-query");
        store = SeriesStore.open(dir, StoreOptions.defaults());
        Appender appender = store.appender();
        Random random = new Random(3);
        int samples = (int) (HOUR / STEP) + 20; // an hour plus the 5m rate window
        long[] t = new long[samples];
        double[] v = new double[samples];
        for (int s = 0; s < SERIES; s++) {
            Labels labels = Labels.of("__name__", "x", "job", "job-" + (s % 10), "instance", "i-" + s);
            double value = random.nextInt(1000);
            for (int i = 0; i < samples; i++) {
                t[i] = START - 20 * STEP + i * STEP;
                value += random.nextInt(100);
                v[i] = value;
            }
            appender.append(labels, t, v, samples);
        }
        appender.commit(Map.of());
        store.close();
        store = SeriesStore.open(dir, StoreOptions.defaults());
        store.compact();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public QueryResult sumByJobRate5mOneHour() {
        return engine.rangeQuery(store.queryable(), "sum by (job) (rate(x[5m]))", START, START + HOUR, STEP,
                QueryOptions.defaults());
    }

    @Benchmark
    public long rawSelectOneHour() {
        long samples = 0;
        try (Querier querier = store.queryable().querier(START - 300_000, START + HOUR);
             SeriesSet set = querier.select(false, new SelectHints(START - 300_000, START + HOUR, STEP, "rate", 300_000),
                     List.of(LabelMatcher.equal("__name__", "x")))) {
            while (set.next()) {
                samples += set.samples().length();
            }
        }
        return samples;
    }
}

package io.kprom.bench.tsdb;

import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Ingest throughput of the TSDB on one thread (= per core): each operation appends one scrape of
 * node_exporter-like hosts (one sample per series) and commits, flushing to RocksDB every 5 s as in
 * production. The score is samples per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class TsdbIngestBenchmark {
    static final int HOSTS = 100;
    static final int SERIES_PER_SCRAPE = new NodeExporterData(HOSTS, 1, 0, true).seriesCount();

    private Path dir;
    private SeriesStore store;
    private Appender appender;
    private NodeExporterData data;
    private final long[] timestamp = new long[1];
    private final double[] value = new double[1];

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("tsdb-ingest");
        store = SeriesStore.open(dir, StoreOptions.defaults());
        appender = store.appender();
        data = new NodeExporterData(HOSTS, 1, 1_700_000_000_000L, true);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(1)
    public int appendOneScrape() {
        timestamp[0] = data.nextScrape();
        int stored = 0;
        for (int i = 0; i < SERIES_PER_SCRAPE; i++) {
            value[0] = data.value(i);
            stored += appender.append(data.labels(i), timestamp, value, 1);
        }
        appender.commit(Map.of());
        return stored;
    }
}

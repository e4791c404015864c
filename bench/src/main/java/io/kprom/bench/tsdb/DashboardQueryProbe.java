package io.kprom.bench.tsdb;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.engine.Value;
import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The four dashboard queries of {@code bench/load-compare.sh}, timed without ingestion running: a fleet
 * shaped like the load test's (bench {@code SyntheticFleet}: {@code targets} x 64 groups of 16 series
 * plus a marker and five synthetic scrape series per target, job {@code fleet}, one sample every 5 s,
 * scrape times staggered per target) is written scrape by scrape through the real {@link Appender}
 * into a RocksDB store in a temp dir, committed after every scrape (so flushes happen as in the sink),
 * then each query runs over the last {@code range} seconds with the load test's step, as
 * {@code QueryRangeProbe} does.
 *
 * <p>Usage: {@code DashboardQueryProbe [targets=200] [runs=20] [history-seconds=420] [range-seconds=300]
 * [step-seconds=15] [compact=false] [head-chunk-retention-seconds=900]}. With {@code compact=true} the
 * store is reopened and fully compacted first, so every chunk is read from SST files instead of the
 * head. Prints the heap in use after loading (after a full GC), then per query the wall
 * and thread-CPU p50/p99/mean in milliseconds, the number of result series and a digest of the
 * result (identical answers give identical digests across builds).
 */
public final class DashboardQueryProbe {
    static final List<String> QUERIES = List.of(
            "sum by (handler) (rate(fleet_requests_total{handler=~\"/h[0-9]\"}[1m]))",
            "histogram_quantile(0.99, sum by (le, handler) (rate(fleet_latency_seconds_bucket{handler=~\"/h[0-3]\"}[1m])))",
            "topk(10, sum by (instance) (rate(fleet_requests_total{handler=~\"/h[0-9]\"}[1m])))",
            "sum by (job) (fleet_queue_depth)");
    static final int GROUPS = 64;
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    static final long INTERVAL_MILLIS = 5_000;
    static final long START_MILLIS = 1_790_000_000_000L;

    private DashboardQueryProbe() {
    }

    public static void main(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long historyMillis = (args.length > 2 ? Long.parseLong(args[2]) : 420) * 1000;
        long rangeMillis = (args.length > 3 ? Long.parseLong(args[3]) : 300) * 1000;
        long stepMillis = (args.length > 4 ? Long.parseLong(args[4]) : 15) * 1000;
        boolean compact = args.length > 5 && Boolean.parseBoolean(args[5]);
        StoreOptions options = StoreOptions.builder()
                .headChunkRetention(Duration.ofSeconds(args.length > 6 ? Long.parseLong(args[6]) : 900)).build();

        Path dir = Files.createTempDirectory("tsdb-dashboard");
        SeriesStore store = SeriesStore.open(dir, options);
        try {
            long loadStart = System.nanoTime();
            long lastScrape = load(store, targets, historyMillis);
            if (compact) {
                store.close();
                store = SeriesStore.open(dir, options);
                store.compact();
            }
            System.out.printf("loaded %d targets x %d series, %d s of history in %.1f s (compact=%s)%n", targets,
                    seriesPerTarget(), historyMillis / 1000, (System.nanoTime() - loadStart) / 1e9, compact);
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("heap in use after load: %d MiB (head chunk retention %s)%n",
                    (runtime.totalMemory() - runtime.freeMemory()) >> 20, options.headChunkRetention());
            long end = Math.floorDiv(lastScrape, stepMillis) * stepMillis;
            long start = end - rangeMillis;
            PromqlEngine engine = new PromqlEngine();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int q = 0; q < QUERIES.size(); q++) {
                String query = QUERIES.get(q);
                QueryResult warm = null;
                for (int i = 0; i < 3; i++) {
                    warm = engine.rangeQuery(store.queryable(), query, start, end, stepMillis, QueryOptions.defaults());
                }
                double[] wall = new double[runs];
                double[] cpu = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long w0 = System.nanoTime();
                    QueryResult result = engine.rangeQuery(store.queryable(), query, start, end, stepMillis,
                            QueryOptions.defaults());
                    wall[i] = (System.nanoTime() - w0) / 1e6;
                    cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
                    if (result.value() instanceof Value.MatrixValue m && m.series().isEmpty()) {
                        throw new IllegalStateException("empty result for " + query);
                    }
                }
                Value.MatrixValue matrix = (Value.MatrixValue) warm.value();
                System.out.printf("query %d wall_ms p50=%.1f p99=%.1f mean=%.1f cpu_ms p50=%.1f p99=%.1f mean=%.1f"
                                + " series=%d digest=%016x  %s%n", q, percentile(wall, 0.5), percentile(wall, 0.99),
                        mean(wall), percentile(cpu, 0.5), percentile(cpu, 0.99), mean(cpu), matrix.series().size(),
                        digest(matrix), query);
            }
        } finally {
            store.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static int seriesPerTarget() {
        return GROUPS * 16 + 1 + 5;
    }

    /** Writes the fleet scrape by scrape; returns the newest sample time. */
    static long load(SeriesStore store, int targets, long historyMillis) {
        Labels[][] series = new Labels[targets][];
        for (int target = 0; target < targets; target++) {
            series[target] = targetSeries(target);
        }
        Appender appender = store.appender();
        long[] t = new long[1];
        double[] v = new double[1];
        long scrapes = historyMillis / INTERVAL_MILLIS;
        long newest = 0;
        for (long scrape = 0; scrape < scrapes; scrape++) {
            for (int target = 0; target < targets; target++) {
                // Each target is scraped at its own offset within the interval, as Prometheus spreads scrapes.
                long time = START_MILLIS + scrape * INTERVAL_MILLIS + (target * 997L) % INTERVAL_MILLIS;
                newest = Math.max(newest, time);
                double seconds = time / 1000.0;
                Labels[] labels = series[target];
                for (int i = 0; i < labels.length; i++) {
                    t[0] = time;
                    v[0] = value(target, i, seconds);
                    appender.append(labels[i], t, v, 1);
                }
            }
            appender.commit(Map.of());
        }
        return newest;
    }

    /** The label sets of one target, in exposition order; see {@link #value} for their values. */
    static Labels[] targetSeries(int target) {
        String instance = "127.0." + (target / 250) + "." + (target % 250 + 1) + ":9500";
        Labels[] labels = new Labels[seriesPerTarget()];
        int i = 0;
        for (int g = 0; g < GROUPS; g++) {
            labels[i++] = fleet(instance, "fleet_requests_total", "handler", "/h" + g, "status", "200");
            labels[i++] = fleet(instance, "fleet_requests_total", "handler", "/h" + g, "status", "500");
            labels[i++] = fleet(instance, "fleet_queue_depth", "queue", "q" + g);
            for (int b = 0; b <= BUCKETS.length; b++) {
                String le = b < BUCKETS.length ? Double.toString(BUCKETS[b]) : "+Inf";
                labels[i++] = fleet(instance, "fleet_latency_seconds_bucket", "handler", "/h" + g, "le", le);
            }
            labels[i++] = fleet(instance, "fleet_latency_seconds_sum", "handler", "/h" + g);
            labels[i++] = fleet(instance, "fleet_latency_seconds_count", "handler", "/h" + g);
        }
        labels[i++] = fleet(instance, "fleet_marker_timestamp_seconds");
        for (String name : List.of("up", "scrape_duration_seconds", "scrape_samples_scraped",
                "scrape_samples_post_metric_relabeling", "scrape_series_added")) {
            labels[i++] = fleet(instance, name);
        }
        return labels;
    }

    private static Labels fleet(String instance, String name, String... pairs) {
        String[] all = Arrays.copyOf(new String[] {"__name__", name, "instance", instance, "job", "fleet"}, 6 + pairs.length);
        System.arraycopy(pairs, 0, all, 6, pairs.length);
        return Labels.of(all);
    }

    /** Counters grow at a per-series rate with a little wobble; the gauge (queue depth) swings. */
    static double value(int target, int index, double seconds) {
        int group = index / 16;
        int kind = index % 16;
        if (group >= GROUPS) {
            return index == GROUPS * 16 ? seconds : 1;
        }
        if (kind == 2) {
            return Math.round((50 + 40 * Math.sin(seconds / 60 + target + group)) * 1000) / 1000.0;
        }
        double rate = 1 + (target * 31 + group * 17) % 50;
        if (kind >= 3 && kind <= 13) {
            double count = Math.floor((1 + (target + group) % 20) * seconds);
            return kind == 13 ? count : Math.floor(count * (kind - 2) / 11.0);
        }
        return Math.round(rate * seconds * (kind == 1 ? 0.01 : 1) * 1000 + (seconds * 7 % 3)) / 1000.0;
    }

    private static long digest(Value.MatrixValue matrix) {
        long h = 1125899906842597L;
        for (Value.SeriesValue s : matrix.series()) {
            h = 31 * h + s.labels().hashCode();
            for (int i = 0; i < s.timestamps().length; i++) {
                h = 31 * h + s.timestamps()[i];
                h = 31 * h + Double.doubleToRawLongBits(s.values()[i]);
            }
        }
        return h;
    }

    private static double percentile(double[] values, double quantile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(0);
    }
}

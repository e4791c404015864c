package io.kprom.bench.tsdb;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Runs the TSDB benchmark bodies and reports thread CPU time per operation besides wall time. On a
 * shared, oversubscribed machine wall-clock JMH scores mostly measure the wait for a core; CPU time
 * per operation is what one core needs. Usage: {@code TsdbCpuTimeProbe [iterations=20]}.
 */
public final class TsdbCpuTimeProbe {
    private TsdbCpuTimeProbe() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();

        TsdbIngestBenchmark ingest = new TsdbIngestBenchmark();
        ingest.open();
        try {
            for (int i = 0; i < iterations; i++) {
                ingest.appendOneScrape(); // warm-up
            }
            long samples = 0;
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < iterations * 5; i++) {
                samples += ingest.appendOneScrape();
            }
            report("ingest", "samples", samples, threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall);
        } finally {
            ingest.close();
        }

        TsdbQueryBenchmark query = new TsdbQueryBenchmark();
        query.load();
        try {
            for (int i = 0; i < 3; i++) {
                query.rawSelectOneHour();
                query.sumByJobRate5mOneHour();
            }
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                query.rawSelectOneHour();
            }
            reportPerOp("raw select 10k series x 1h", iterations, threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall);
            cpu = threads.getCurrentThreadCpuTime();
            wall = System.nanoTime();
            for (int i = 0; i < iterations; i++) {
                query.sumByJobRate5mOneHour();
            }
            reportPerOp("query_range sum by (job) (rate(x[5m])) 10k series x 1h step 15s", iterations,
                    threads.getCurrentThreadCpuTime() - cpu, System.nanoTime() - wall);
        } finally {
            query.close();
        }
    }

    private static void report(String name, String unit, long count, long cpuNanos, long wallNanos) {
        System.out.printf("%s: %d %s, %.0f %s per CPU second (one core), %.0f per wall second%n", name, count, unit,
                count / (cpuNanos / 1e9), unit, count / (wallNanos / 1e9));
    }

    private static void reportPerOp(String name, int ops, long cpuNanos, long wallNanos) {
        System.out.printf("%s: %.1f ms CPU/op, %.1f ms wall/op%n", name, cpuNanos / 1e6 / ops, wallNanos / 1e6 / ops);
    }
}

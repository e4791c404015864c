package io.kprom.bench.processor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Load benchmark: drives {@link ProcessorThroughputBenchmark}'s workload (20 targets x 500 series,
 * 10 metric-relabel rules, the seed's recording group) for a number of scrapes and reports samples
 * per second of the driving thread's CPU time, i.e. per core, which stays meaningful on a shared,
 * overloaded machine where wall-clock throughput does not.
 *
 * <pre>java -cp bench/target-jmh/classes:$(cat bench/target-jmh/jmh-classpath.txt) \
 *     io.kprom.bench.processor.ProcessorLoadMain [warmupScrapes] [measuredScrapes]</pre>
 */
public final class ProcessorLoadMain {
    private ProcessorLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 800;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 1600;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ProcessorThroughputBenchmark benchmark = new ProcessorThroughputBenchmark();
        benchmark.setup();
        for (int i = 0; i < warmup; i++) {
            benchmark.scrape();
        }
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        for (int i = 0; i < measured; i++) {
            benchmark.scrape();
        }
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        long samples = (long) measured * ProcessorThroughputBenchmark.SERIES_PER_TARGET;
        System.out.printf("scrapes %d, samples %d, thread CPU %.2f s, wall %.2f s%n", measured, samples, cpuSeconds, wallSeconds);
        System.out.printf("samples/s per core (CPU time): %.0f; samples/s wall: %.0f%n", samples / cpuSeconds,
                samples / wallSeconds);
        benchmark.report();
    }
}

package io.kprom.standalone.fault.corpus;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Heap used after a full GC and the process's resident set size ({@code VmRSS} of
 * {@code /proc/self/status}; -1 where there is no procfs).
 */
public record MemoryReport(long heapAfterGcBytes, long rssBytes) {
    public static MemoryReport now() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new MemoryReport(heap, rss());
    }

    private static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "heap after GC " + heapAfterGcBytes / (1 << 20) + " MiB, RSS " + (rssBytes < 0 ? "n/a" : rssBytes / (1 << 20) + " MiB");
    }
}

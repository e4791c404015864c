package io.kprom.bench.scraper;

import java.nio.charset.StandardCharsets;

/**
 * A synthetic node_exporter-like exposition with a given number of series: realistic family names,
 * label sets (cpu/mode, device, mountpoint/fstype), HELP/TYPE lines, gauges, counters and a histogram.
 */
public final class NodeExporterPayload {
    private NodeExporterPayload() {
    }

    /** Prometheus text 0.0.4 (openMetrics false) or OpenMetrics 1.0 with {@code # EOF}. */
    public static byte[] generate(int series, boolean openMetrics) {
        StringBuilder sb = new StringBuilder(series * 90);
        int written = 0;
        int family = 0;
        String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
        while (written < series) {
            int kind = family % 5;
            String name;
            switch (kind) {
                case 0 -> {
                    name = "node_cpu_seconds_" + family;
                    header(sb, name, "counter", "Seconds the CPUs spent in each mode.", openMetrics);
                    for (int cpu = 0; cpu < 16 && written < series; cpu++) {
                        for (String mode : modes) {
                            if (written++ >= series) {
                                break;
                            }
                            sb.append(name).append(openMetrics ? "_total" : "").append("{cpu=\"").append(cpu)
                                    .append("\",mode=\"").append(mode).append("\"} ").append(123456.78 + cpu * 17.31).append('\n');
                        }
                    }
                }
                case 1 -> {
                    name = "node_network_receive_bytes_" + family;
                    header(sb, name, "counter", "Network device statistic receive_bytes.", openMetrics);
                    for (int dev = 0; dev < 32 && written < series; dev++, written++) {
                        sb.append(name).append(openMetrics ? "_total" : "").append("{device=\"eth").append(dev)
                                .append("\"} ").append(9.87654321e9 + dev).append('\n');
                    }
                }
                case 2 -> {
                    name = "node_filesystem_avail_bytes_" + family;
                    header(sb, name, "gauge", "Filesystem space available to non-root users in bytes.", openMetrics);
                    for (int fs = 0; fs < 24 && written < series; fs++, written++) {
                        sb.append(name).append("{device=\"/dev/sda").append(fs).append("\",fstype=\"ext4\",mountpoint=\"/mnt/disk")
                                .append(fs).append("\"} ").append(4.9e10 + fs * 1024).append('\n');
                    }
                }
                case 3 -> {
                    name = "node_disk_io_time_seconds_" + family;
                    header(sb, name, "histogram", "Disk IO latency.", openMetrics);
                    String[] bounds = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "+Inf"};
                    for (int b = 0; b < bounds.length && written < series; b++, written++) {
                        sb.append(name).append("_bucket{device=\"nvme0n1\",le=\"").append(bounds[b]).append("\"} ")
                                .append(100 * (b + 1)).append('\n');
                    }
                    if (written++ < series) {
                        sb.append(name).append("_sum{device=\"nvme0n1\"} 42.125\n");
                    }
                    if (written++ < series) {
                        sb.append(name).append("_count{device=\"nvme0n1\"} 900\n");
                    }
                }
                default -> {
                    name = "node_load_" + family;
                    header(sb, name, "gauge", "Load average.", openMetrics);
                    sb.append(name).append(" 0.52\n");
                    written++;
                }
            }
            family++;
        }
        if (openMetrics) {
            sb.append("# EOF\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder sb, String name, String type, String help, boolean openMetrics) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Number of sample lines in a payload. */
    public static int countSamples(byte[] payload) {
        int samples = 0;
        boolean lineStart = true;
        for (byte b : payload) {
            if (lineStart && b != '#' && b != '\n') {
                samples++;
            }
            lineStart = b == '\n';
        }
        return samples;
    }
}

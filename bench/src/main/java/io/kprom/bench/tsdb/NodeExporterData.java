package io.kprom.bench.tsdb;

import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic series shaped like node_exporter's, scraped every 15 s with a few ms of jitter: CPU
 * seconds counters (0.01 s resolution), byte and packet counters with varying increments, memory and
 * filesystem gauges changing in 4 KiB steps, a few float gauges (load, temperatures) and constant
 * info-like series. Every series changes value except the constant ones, as real hosts do.
 * Deterministic for a given seed. Not thread-safe.
 */
final class NodeExporterData {
    enum Kind {
        CPU_SECONDS, BYTES_COUNTER, PACKETS_COUNTER, MEMORY_GAUGE, LOAD_GAUGE, CONSTANT, RARE_COUNTER, ZERO,
        FLOAT_NOISE, SMALL_INT_GAUGE
    }

    private final List<Labels> labels = new ArrayList<>();
    private final List<Kind> kinds = new ArrayList<>();
    private final double[] current;
    private final Random random;
    private final boolean alignedTimestamps;
    private long timestampMillis;
    private long idealMillis;

    /**
     * @param alignedTimestamps true: timestamps as Prometheus's scrape loop writes them (jitter within
     *        its 2 ms tolerance snapped to the 15 s grid; 1 scrape in 20 late by 3-20 ms); false: every
     *        timestamp jitters by up to +-2 ms
     */
    NodeExporterData(int hosts, long seed, long startMillis, boolean alignedTimestamps) {
        this.alignedTimestamps = alignedTimestamps;
        random = new Random(seed);
        for (int h = 0; h < hosts; h++) {
            String instance = "host-" + h + ":9100";
            String job = "node-" + (h % 10);
            for (int cpu = 0; cpu < 4; cpu++) {
                for (String mode : new String[] {"user", "system", "idle", "iowait", "irq", "softirq", "steal", "nice"}) {
                    add(Kind.CPU_SECONDS, "node_cpu_seconds_total", job, instance, "cpu", "" + cpu, "mode", mode);
                }
            }
            for (String device : new String[] {"eth0", "lo"}) {
                add(Kind.BYTES_COUNTER, "node_network_receive_bytes_total", job, instance, "device", device);
                add(Kind.BYTES_COUNTER, "node_network_transmit_bytes_total", job, instance, "device", device);
                add(Kind.PACKETS_COUNTER, "node_network_receive_packets_total", job, instance, "device", device);
                add(Kind.PACKETS_COUNTER, "node_network_transmit_packets_total", job, instance, "device", device);
                add(Kind.CONSTANT, "node_network_mtu_bytes", job, instance, "device", device);
                add(Kind.CONSTANT, "node_network_up", job, instance, "device", device);
            }
            for (String device : new String[] {"sda", "sdb"}) {
                add(Kind.BYTES_COUNTER, "node_disk_read_bytes_total", job, instance, "device", device);
                add(Kind.BYTES_COUNTER, "node_disk_written_bytes_total", job, instance, "device", device);
                add(Kind.PACKETS_COUNTER, "node_disk_reads_completed_total", job, instance, "device", device);
                add(Kind.PACKETS_COUNTER, "node_disk_writes_completed_total", job, instance, "device", device);
                add(Kind.CPU_SECONDS, "node_disk_io_time_seconds_total", job, instance, "device", device);
                add(Kind.MEMORY_GAUGE, "node_filesystem_avail_bytes", job, instance, "device", device, "mountpoint", "/" + device);
                add(Kind.CONSTANT, "node_filesystem_size_bytes", job, instance, "device", device, "mountpoint", "/" + device);
            }
            for (String name : new String[] {"MemFree", "Cached", "Buffers", "MemAvailable", "Active", "Inactive", "Dirty", "Slab"}) {
                add(Kind.MEMORY_GAUGE, "node_memory_" + name + "_bytes", job, instance);
            }
            add(Kind.CONSTANT, "node_memory_MemTotal_bytes", job, instance);
            for (String name : new String[] {"node_load1", "node_load5", "node_load15"}) {
                add(Kind.LOAD_GAUGE, name, job, instance);
            }
            add(Kind.LOAD_GAUGE, "node_hwmon_temp_celsius", job, instance, "chip", "coretemp", "sensor", "temp1");
            add(Kind.PACKETS_COUNTER, "node_context_switches_total", job, instance);
            add(Kind.PACKETS_COUNTER, "node_intr_total", job, instance);
            add(Kind.CONSTANT, "node_boot_time_seconds", job, instance);
            add(Kind.CONSTANT, "node_uname_info", job, instance, "release", "6.1.0", "machine", "x86_64");
            add(Kind.CONSTANT, "up", job, instance);
            for (int cpu = 0; cpu < 4; cpu++) {
                add(Kind.ZERO, "node_cpu_guest_seconds_total", job, instance, "cpu", "" + cpu, "mode", "user");
                add(Kind.ZERO, "node_cpu_guest_seconds_total", job, instance, "cpu", "" + cpu, "mode", "nice");
                add(Kind.CONSTANT, "node_cpu_scaling_frequency_max_hertz", job, instance, "cpu", "" + cpu);
            }
            for (String device : new String[] {"eth0", "lo"}) {
                for (String counter : new String[] {"errs", "drop", "fifo", "frame", "compressed", "multicast"}) {
                    add(Kind.RARE_COUNTER, "node_network_receive_" + counter + "_total", job, instance, "device", device);
                }
                for (String counter : new String[] {"errs", "drop", "fifo", "colls", "carrier", "compressed"}) {
                    add(Kind.ZERO, "node_network_transmit_" + counter + "_total", job, instance, "device", device);
                }
                add(Kind.CONSTANT, "node_network_info", job, instance, "device", device, "operstate", "up");
            }
            for (String device : new String[] {"sda", "sdb"}) {
                add(Kind.SMALL_INT_GAUGE, "node_filesystem_files_free", job, instance, "device", device);
                add(Kind.CONSTANT, "node_filesystem_files", job, instance, "device", device);
                add(Kind.ZERO, "node_filesystem_readonly", job, instance, "device", device);
                add(Kind.ZERO, "node_filesystem_device_error", job, instance, "device", device);
                add(Kind.RARE_COUNTER, "node_disk_discards_completed_total", job, instance, "device", device);
                add(Kind.ZERO, "node_disk_io_now", job, instance, "device", device);
            }
            for (String stat : new String[] {"pgfault", "pgmajfault", "pgpgin", "pgpgout", "pswpin", "pswpout", "oom_kill"}) {
                add(stat.startsWith("pg") ? Kind.PACKETS_COUNTER : Kind.RARE_COUNTER, "node_vmstat_" + stat, job, instance);
            }
            for (String stat : new String[] {"Tcp_ActiveOpens", "Tcp_PassiveOpens", "Tcp_RetransSegs", "Tcp_InSegs",
                    "Tcp_OutSegs", "Udp_InDatagrams", "Udp_OutDatagrams", "Tcp_CurrEstab", "TcpExt_ListenDrops",
                    "TcpExt_ListenOverflows", "TcpExt_SyncookiesFailed", "Udp_InErrors", "Udp_NoPorts", "Icmp_InErrors"}) {
                Kind kind = stat.contains("Segs") || stat.contains("Datagrams") ? Kind.PACKETS_COUNTER
                        : stat.equals("Tcp_CurrEstab") ? Kind.SMALL_INT_GAUGE : Kind.RARE_COUNTER;
                add(kind, "node_netstat_" + stat, job, instance);
            }
            for (String collector : new String[] {"cpu", "diskstats", "filesystem", "meminfo", "netdev", "netstat",
                    "vmstat", "loadavg", "hwmon", "uname"}) {
                add(Kind.FLOAT_NOISE, "node_scrape_collector_duration_seconds", job, instance, "collector", collector);
                add(Kind.CONSTANT, "node_scrape_collector_success", job, instance, "collector", collector);
            }
            add(Kind.SMALL_INT_GAUGE, "go_goroutines", job, instance);
            add(Kind.SMALL_INT_GAUGE, "go_threads", job, instance);
            add(Kind.BYTES_COUNTER, "go_memstats_alloc_bytes_total", job, instance);
            add(Kind.MEMORY_GAUGE, "go_memstats_heap_inuse_bytes", job, instance);
            add(Kind.MEMORY_GAUGE, "go_memstats_heap_idle_bytes", job, instance);
            add(Kind.PACKETS_COUNTER, "go_memstats_mallocs_total", job, instance);
            add(Kind.PACKETS_COUNTER, "go_memstats_frees_total", job, instance);
            add(Kind.RARE_COUNTER, "go_gc_duration_seconds_count", job, instance);
            add(Kind.CPU_SECONDS, "process_cpu_seconds_total", job, instance);
            add(Kind.MEMORY_GAUGE, "process_resident_memory_bytes", job, instance);
            add(Kind.SMALL_INT_GAUGE, "process_open_fds", job, instance);
            add(Kind.CONSTANT, "process_start_time_seconds", job, instance);
            for (String mount : new String[] {"/", "/boot", "/var", "/home", "/run", "/dev/shm", "/run/lock", "/tmp"}) {
                add(Kind.MEMORY_GAUGE, "node_filesystem_free_bytes", job, instance, "mountpoint", mount);
                add(Kind.CONSTANT, "node_filesystem_size_bytes", job, instance, "mountpoint", mount);
                add(Kind.SMALL_INT_GAUGE, "node_filesystem_files_free", job, instance, "mountpoint", mount);
                add(Kind.CONSTANT, "node_filesystem_files", job, instance, "mountpoint", mount);
                add(Kind.ZERO, "node_filesystem_readonly", job, instance, "mountpoint", mount);
                add(Kind.ZERO, "node_filesystem_device_error", job, instance, "mountpoint", mount);
            }
            for (String device : new String[] {"docker0", "veth1", "veth2"}) {
                add(Kind.PACKETS_COUNTER, "node_network_receive_packets_total", job, instance, "device", device);
                add(Kind.PACKETS_COUNTER, "node_network_transmit_packets_total", job, instance, "device", device);
                for (String counter : new String[] {"errs", "drop", "fifo", "frame", "compressed", "multicast"}) {
                    add(Kind.RARE_COUNTER, "node_network_receive_" + counter + "_total", job, instance, "device", device);
                    add(Kind.ZERO, "node_network_transmit_" + counter + "_total", job, instance, "device", device);
                }
                for (String info : new String[] {"mtu_bytes", "up", "carrier", "speed_bytes", "address_assign_type",
                        "device_id", "flags", "iface_id", "iface_link", "protocol_type", "transmit_queue_length",
                        "net_dev_group", "dormant"}) {
                    add(Kind.CONSTANT, "node_network_" + info, job, instance, "device", device);
                }
            }
            for (int sensor = 0; sensor < 8; sensor++) {
                add(Kind.SMALL_INT_GAUGE, "node_hwmon_temp_celsius", job, instance, "chip", "nct6775", "sensor", "temp" + sensor);
                add(Kind.CONSTANT, "node_hwmon_temp_crit_celsius", job, instance, "chip", "nct6775", "sensor", "temp" + sensor);
                add(Kind.CONSTANT, "node_hwmon_temp_max_celsius", job, instance, "chip", "nct6775", "sensor", "temp" + sensor);
            }
            for (String socket : new String[] {"TCP_inuse", "TCP_orphan", "TCP_tw", "TCP_alloc", "TCP_mem", "UDP_inuse",
                    "UDP_mem", "UDPLITE_inuse", "RAW_inuse", "FRAG_inuse", "FRAG_memory", "sockets_used"}) {
                add(Kind.SMALL_INT_GAUGE, "node_sockstat_" + socket, job, instance);
            }
            for (String timex : new String[] {"offset_seconds", "frequency_adjustment_ratio", "maxerror_seconds",
                    "estimated_error_seconds", "status", "tai_offset_seconds", "tick_seconds", "sync_status",
                    "loop_time_constant", "pps_frequency_hertz", "pps_jitter_seconds", "pps_stability_hertz"}) {
                add(timex.startsWith("offset") || timex.startsWith("frequency") ? Kind.FLOAT_NOISE : Kind.CONSTANT,
                        "node_timex_" + timex, job, instance);
            }
            add(Kind.SMALL_INT_GAUGE, "node_procs_running", job, instance);
            add(Kind.SMALL_INT_GAUGE, "node_procs_blocked", job, instance);
            add(Kind.SMALL_INT_GAUGE, "node_arp_entries", job, instance, "device", "eth0");
            add(Kind.SMALL_INT_GAUGE, "node_nf_conntrack_entries", job, instance);
            add(Kind.CONSTANT, "node_nf_conntrack_entries_limit", job, instance);
            add(Kind.PACKETS_COUNTER, "node_forks_total", job, instance);
            add(Kind.CONSTANT, "node_os_info", job, instance, "id", "debian", "version_id", "12");
            add(Kind.CONSTANT, "node_exporter_build_info", job, instance, "version", "1.8.2");
        }
        current = new double[labels.size()];
        for (int i = 0; i < current.length; i++) {
            current[i] = switch (kinds.get(i)) {
                case CPU_SECONDS -> Math.round(random.nextDouble() * 1e6) / 100.0;
                case BYTES_COUNTER -> random.nextInt(1 << 30);
                case PACKETS_COUNTER -> random.nextInt(1 << 24);
                case MEMORY_GAUGE -> 4096.0 * (1 << 18) + 4096.0 * random.nextInt(1 << 16);
                case LOAD_GAUGE -> Math.round(random.nextDouble() * 400) / 100.0;
                case CONSTANT -> random.nextBoolean() ? 1 : 1500;
                case RARE_COUNTER -> random.nextInt(100);
                case ZERO -> 0;
                case FLOAT_NOISE -> random.nextDouble() / 100;
                case SMALL_INT_GAUGE -> 10 + random.nextInt(200);
            };
        }
        timestampMillis = startMillis;
        idealMillis = startMillis;
    }

    private void add(Kind kind, String name, String job, String instance, String... extra) {
        Labels.Builder builder = Labels.builder().set("__name__", name).set("job", job).set("instance", instance);
        for (int i = 0; i < extra.length; i += 2) {
            builder.set(extra[i], extra[i + 1]);
        }
        labels.add(builder.build());
        kinds.add(kind);
    }

    int seriesCount() {
        return labels.size();
    }

    Labels labels(int series) {
        return labels.get(series);
    }

    /** Advances every series by one scrape; returns the scrape's timestamp. */
    long nextScrape() {
        if (alignedTimestamps) {
            idealMillis += 15_000;
            timestampMillis = idealMillis + (random.nextInt(20) == 0 ? 3 + random.nextInt(18) : 0);
        } else {
            timestampMillis += 15_000 + random.nextInt(5) - 2;
        }
        for (int i = 0; i < current.length; i++) {
            current[i] = switch (kinds.get(i)) {
                case CPU_SECONDS -> Math.round((current[i] + random.nextDouble() * 15) * 100) / 100.0;
                case BYTES_COUNTER -> current[i] + random.nextInt(2_000_000);
                case PACKETS_COUNTER -> current[i] + random.nextInt(2000);
                case MEMORY_GAUGE -> current[i] + 4096.0 * (random.nextInt(201) - 100);
                case LOAD_GAUGE -> random.nextInt(4) == 0 ? Math.round(random.nextDouble() * 400) / 100.0 : current[i];
                case CONSTANT, ZERO -> current[i];
                case RARE_COUNTER -> random.nextInt(50) == 0 ? current[i] + 1 + random.nextInt(3) : current[i];
                case FLOAT_NOISE -> random.nextDouble() / 100;
                case SMALL_INT_GAUGE -> random.nextInt(3) == 0 ? Math.max(0, current[i] + random.nextInt(5) - 2) : current[i];
            };
        }
        return timestampMillis;
    }

    double value(int series) {
        return current[series];
    }
}

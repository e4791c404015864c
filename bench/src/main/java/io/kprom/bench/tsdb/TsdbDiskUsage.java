package io.kprom.bench.tsdb;

import io.kprom.sink.storage.Appender;
import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Disk bytes per sample on node_exporter-like data with changing values: ingests
 * {@code hosts x scrapes} scrapes at 15 s, compacts fully and divides the SST bytes of the store by
 * the number of samples. Usage: {@code TsdbDiskUsage [hosts=50] [hours=24] [aligned=true]} (aligned:
 * timestamps as Prometheus's scrape loop writes them, see {@link NodeExporterData}).
 */
public final class TsdbDiskUsage {
    private TsdbDiskUsage() {
    }

    public static void main(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int hours = args.length > 1 ? Integer.parseInt(args[1]) : 24;
        boolean aligned = args.length <= 2 || Boolean.parseBoolean(args[2]);
        Path dir = Files.createTempDirectory("tsdb-disk");
        try {
            Result result = measure(dir, hosts, hours * 240, aligned);
            System.out.printf("aligned=%s series=%d samples=%d bytes=%d bytes/sample=%.3f%n", aligned, result.series(),
                    result.samples(), result.bytes(), (double) result.bytes() / result.samples());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    record Result(int series, long samples, long bytes) {
    }

    static Result measure(Path dir, int hosts, int scrapes, boolean aligned) {
        NodeExporterData data = new NodeExporterData(hosts, 1, 1_700_000_000_000L, aligned);
        long samples = 0;
        try (SeriesStore store = SeriesStore.open(dir, StoreOptions.defaults())) {
            Appender appender = store.appender();
            long[] t = new long[1];
            double[] v = new double[1];
            for (int s = 0; s < scrapes; s++) {
                t[0] = data.nextScrape();
                for (int i = 0; i < data.seriesCount(); i++) {
                    v[0] = data.value(i);
                    samples += appender.append(data.labels(i), t, v, 1);
                }
                appender.commit(Map.of());
            }
            store.close();
        }
        try (SeriesStore store = SeriesStore.open(dir, StoreOptions.defaults())) {
            store.compact();
            return new Result(data.seriesCount(), samples, store.diskSizeBytes());
        }
    }
}

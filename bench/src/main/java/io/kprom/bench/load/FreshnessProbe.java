package io.kprom.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrape-to-queryable latency: {@code FreshnessProbe <base-url> <selector> <seconds> <poll-millis>}.
 *
 * <p>{@link SyntheticFleet} exposes {@code fleet_marker_timestamp_seconds}, whose value is the wall-clock
 * time at which the target rendered that scrape's body, a fresh unique number every scrape. The probe
 * runs {@code selector} (a few targets' markers) as an instant query every {@code poll-millis}; each time a
 * series shows a value it has not shown before, that scrape has become queryable, and the latency is
 * the time the poll was sent minus the marker value. The first value seen per series is not counted (its
 * arrival time is unknown). Resolution: one poll interval plus one query's duration, which is why the
 * poll interval is short. Target and probe share this machine's clock.
 *
 * <p>Prints one line: {@code freshness n=.. p50_ms=.. p99_ms=.. max_ms=.. polls=.. errors=.. series=..}.
 */
public final class FreshnessProbe {
    private FreshnessProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: FreshnessProbe <base-url> <selector> <seconds> <poll-millis>");
            System.exit(2);
        }
        PrometheusApiClient api = new PrometheusApiClient(args[0], Duration.ofSeconds(10));
        String selector = args[1];
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        long pollMillis = Long.parseLong(args[3]);

        Map<String, Double> lastValue = new HashMap<>();
        List<Double> latencies = new ArrayList<>();
        int polls = 0;
        int errors = 0;
        String lastError = null;
        while (System.currentTimeMillis() < deadline) {
            long sentMillis = System.currentTimeMillis();
            polls++;
            try {
                for (JsonNode series : api.instantQuery(selector)) {
                    String key = series.path("metric").toString();
                    double marker = Double.parseDouble(series.path("value").path(1).asText());
                    Double previous = lastValue.put(key, marker);
                    if (previous != null && marker > previous) {
                        latencies.add(sentMillis - marker * 1000);
                    }
                }
            } catch (java.io.IOException e) {
                errors++;
                lastError = e.getMessage();
            }
            long sleep = pollMillis - (System.currentTimeMillis() - sentMillis);
            if (sleep > 0) {
                Thread.sleep(sleep);
            }
        }
        double[] values = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        System.out.println("freshness " + Percentiles.of(values).format() + " polls=" + polls + " errors=" + errors
                + " series=" + lastValue.size());
        if (lastError != null) {
            System.err.println("last error: " + lastError);
        }
    }
}

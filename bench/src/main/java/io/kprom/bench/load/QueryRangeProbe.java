package io.kprom.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * {@code query_range} latency of dashboard queries:
 * {@code QueryRangeProbe <base-url> <runs> <range-seconds> <step-seconds> <budget-seconds> <query>...}.
 *
 * <p>Each query runs once untimed (a dashboard refreshes the same panel, so the warm figure is the
 * typical one), then {@code runs} times over the last {@code range-seconds} ending now (aligned to the
 * step, as Grafana aligns), one at a time, timed from request to fully read response. A query stops
 * early once it has spent {@code budget-seconds}, so one pathological query cannot stall a run; the
 * printed {@code n} says how many runs were timed.
 *
 * <p>Prints one line per query:
 * {@code query_range index=<i> n=.. p50_ms=.. p99_ms=.. max_ms=.. series=<result series> errors=..}.
 */
public final class QueryRangeProbe {
    private QueryRangeProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: QueryRangeProbe <base-url> <runs> <range-seconds> <step-seconds> <budget-seconds> <query>...");
            System.exit(2);
        }
        PrometheusApiClient api = new PrometheusApiClient(args[0], Duration.ofSeconds(120));
        int runs = Integer.parseInt(args[1]);
        double range = Double.parseDouble(args[2]);
        double step = Double.parseDouble(args[3]);
        long budgetNanos = Duration.ofSeconds(Long.parseLong(args[4])).toNanos();
        for (int index = 5; index < args.length; index++) {
            String query = args[index];
            int errors = 0;
            int series = -1;
            String lastError = null;
            double[] millis = new double[runs];
            int timed = 0;
            long began = System.nanoTime();
            for (int run = -1; run < runs && System.nanoTime() - began < budgetNanos; run++) {
                double end = Math.floor(System.currentTimeMillis() / 1000.0 / step) * step;
                long start = System.nanoTime();
                try {
                    JsonNode result = api.rangeQuery(query, end - range, end, step);
                    series = result.size();
                } catch (java.io.IOException e) {
                    errors++;
                    lastError = e.getMessage();
                    continue;
                }
                if (run >= 0) {
                    millis[timed++] = (System.nanoTime() - start) / 1e6;
                }
            }
            double[] measured = java.util.Arrays.copyOf(millis, timed);
            System.out.println("query_range index=" + (index - 4) + " " + Percentiles.of(measured).format()
                    + " series=" + series + " errors=" + errors);
            if (lastError != null) {
                System.err.println("query " + (index - 4) + " last error: " + lastError);
            }
        }
    }
}

package io.kprom.sink.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/** Self-metrics of the query API, registered once per JVM. */
final class ApiMetrics {
    static final Counter QUERIES_OUT_OF_MEMORY = Counter.builder()
            .name("kprom_api_queries_out_of_memory_total")
            .help("Queries answered with an error because evaluation ran out of heap.")
            .register();
    static final Gauge CONCURRENT_QUERIES = Gauge.builder()
            .name("prometheus_engine_queries")
            .help("The current number of queries being executed or waiting.")
            .register();
    static final Gauge CONCURRENT_QUERIES_LIMIT = Gauge.builder()
            .name("prometheus_engine_queries_concurrent_max")
            .help("The max number of concurrent queries.")
            .register();
    static final Histogram QUERY_DURATION = Histogram.builder()
            .name("prometheus_engine_query_duration_seconds")
            .help("Query timings.")
            .labelNames("slice")
            .register();
    static final Counter API_ERRORS = Counter.builder()
            .name("kprom_api_query_errors_total")
            .help("Query API calls answered with an error, by error type.")
            .labelNames("error_type")
            .register();

    private ApiMetrics() {
    }
}

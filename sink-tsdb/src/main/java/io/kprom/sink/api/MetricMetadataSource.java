package io.kprom.sink.api;

import java.util.Map;

/**
 * The latest metadata per metric family, for {@code /api/v1/metadata}. Implemented by the
 * consumer of the compacted {@code metrics.metadata} topic. Thread-safe.
 */
@FunctionalInterface
public interface MetricMetadataSource {
    /** One family's metadata; {@code type} is Prometheus's lower-case name ("counter", "gauge", ...). */
    record Entry(String type, String help, String unit) {
    }

    /** A consistent copy, sorted by family name. */
    Map<String, Entry> snapshot();
}

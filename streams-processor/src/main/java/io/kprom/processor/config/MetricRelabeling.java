package io.kprom.processor.config;

import io.kprom.common.labels.Labels;

/**
 * A job's {@code metric_relabel_configs} as one function: the relabeled labels, or null when the
 * series is dropped. Implementations must be thread-safe (one instance serves every stream thread).
 */
@FunctionalInterface
public interface MetricRelabeling {
    MetricRelabeling NONE = labels -> labels;

    Labels apply(Labels labels);
}

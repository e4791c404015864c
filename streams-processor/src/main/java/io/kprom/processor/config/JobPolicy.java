package io.kprom.processor.config;

import java.util.Objects;

/**
 * What the processor applies to every scrape of one job: Prometheus's per-scrape-config settings
 * that act after the scrape. A limit of 0 means "no limit", as in Prometheus.
 *
 * @param jobName the scrape config's {@code job_name}
 * @param relabeling {@code metric_relabel_configs}
 * @param honorLabels {@code honor_labels}
 * @param honorTimestamps {@code honor_timestamps}
 * @param sampleLimit {@code sample_limit}: more samples after metric relabeling fail the scrape
 * @param labelLimit {@code label_limit}: a series with more labels (incl. {@code __name__}) fails the scrape
 * @param labelNameLengthLimit {@code label_name_length_limit}
 * @param labelValueLengthLimit {@code label_value_length_limit}
 * @param targetLimit {@code target_limit}: more active targets in the job fail all its scrapes
 * @param scrapeIntervalMillis the job's scrape interval, used when a batch does not carry one
 */
public record JobPolicy(String jobName, MetricRelabeling relabeling, boolean honorLabels, boolean honorTimestamps,
        long sampleLimit, long labelLimit, long labelNameLengthLimit, long labelValueLengthLimit, long targetLimit,
        long scrapeIntervalMillis) {
    public JobPolicy {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(relabeling, "relabeling");
        if (sampleLimit < 0 || labelLimit < 0 || labelNameLengthLimit < 0 || labelValueLengthLimit < 0 || targetLimit < 0) {
            throw new IllegalArgumentException("job " + jobName + ": limits must be >= 0 (0 means no limit)");
        }
    }

    /** Prometheus's defaults: no relabeling, honor_labels false, honor_timestamps true, no limits, 1m interval. */
    public static JobPolicy defaults(String jobName) {
        return new JobPolicy(jobName, MetricRelabeling.NONE, false, true, 0, 0, 0, 0, 0, 60_000);
    }

    public JobPolicy withRelabeling(MetricRelabeling value) {
        return new JobPolicy(jobName, value, honorLabels, honorTimestamps, sampleLimit, labelLimit,
                labelNameLengthLimit, labelValueLengthLimit, targetLimit, scrapeIntervalMillis);
    }

    public JobPolicy withHonorLabels(boolean value) {
        return new JobPolicy(jobName, relabeling, value, honorTimestamps, sampleLimit, labelLimit,
                labelNameLengthLimit, labelValueLengthLimit, targetLimit, scrapeIntervalMillis);
    }

    public JobPolicy withHonorTimestamps(boolean value) {
        return new JobPolicy(jobName, relabeling, honorLabels, value, sampleLimit, labelLimit,
                labelNameLengthLimit, labelValueLengthLimit, targetLimit, scrapeIntervalMillis);
    }

    public JobPolicy withLimits(long samples, long labels, long nameLength, long valueLength) {
        return new JobPolicy(jobName, relabeling, honorLabels, honorTimestamps, samples, labels, nameLength,
                valueLength, targetLimit, scrapeIntervalMillis);
    }

    public JobPolicy withTargetLimit(long value) {
        return new JobPolicy(jobName, relabeling, honorLabels, honorTimestamps, sampleLimit, labelLimit,
                labelNameLengthLimit, labelValueLengthLimit, value, scrapeIntervalMillis);
    }

    public JobPolicy withScrapeIntervalMillis(long value) {
        return new JobPolicy(jobName, relabeling, honorLabels, honorTimestamps, sampleLimit, labelLimit,
                labelNameLengthLimit, labelValueLengthLimit, targetLimit, value);
    }
}

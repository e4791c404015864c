package io.kprom.processor.config;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.config.ScrapeConfig;
import io.kprom.common.relabel.RelabelConfig;
import io.kprom.common.relabel.Relabeler;
import java.util.List;

/** Builds the processor's job policies from a loaded {@code prometheus.yml}. */
public final class PrometheusConfigSettings {
    private PrometheusConfigSettings() {
    }

    /** A builder with one {@link JobPolicy} per scrape config (limits already merged with the global ones by the model). */
    public static ProcessorSettings.Builder jobs(PrometheusConfig config, ProcessorSettings.Builder builder) {
        for (ScrapeConfig scrape : config.scrapeConfigs()) {
            builder.job(policy(scrape));
        }
        return builder;
    }

    public static JobPolicy policy(ScrapeConfig scrape) {
        List<RelabelConfig> configs = List.copyOf(scrape.metricRelabelConfigs());
        MetricRelabeling relabeling = configs.isEmpty() ? MetricRelabeling.NONE : labels -> Relabeler.process(labels, configs);
        return new JobPolicy(scrape.jobName(), relabeling, scrape.honorLabels(), scrape.honorTimestamps(),
                scrape.sampleLimit(), scrape.labelLimit(), scrape.labelNameLengthLimit(), scrape.labelValueLengthLimit(),
                scrape.targetLimit(), scrape.scrapeInterval().toMillis());
    }
}

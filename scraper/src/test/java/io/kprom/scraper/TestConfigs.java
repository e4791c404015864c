package io.kprom.scraper;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.config.ScrapeConfig;

/** Builds configs from prometheus.yml text, as users write them. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static PrometheusConfig config(String yaml) {
        try {
            return PrometheusConfig.parse(yaml, null);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The first scrape config of a {@code scrape_configs} list. */
    public static ScrapeConfig scrape(String scrapeConfigsYaml) {
        return config("scrape_configs:\n" + scrapeConfigsYaml).scrapeConfigs().get(0);
    }
}

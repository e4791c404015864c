package io.kprom.scraper.target;

import io.kprom.common.labels.Labels;
import java.time.Duration;
import java.util.HexFormat;

/**
 * One scrape target after relabeling, as Prometheus's {@code scrape.Target}: its full label set
 * (including internal {@code __scheme__}, {@code __metrics_path__}, {@code __param_*},
 * {@code __scrape_interval__}, {@code __scrape_timeout__}), the labels it was discovered with, the URL
 * built from them, and a stable hash that decides the start offset and the shard. Immutable.
 *
 * @param job the scrape pool (job_name of the scrape config)
 * @param labels relabeled labels including internal {@code __} labels, without {@code __meta_*}
 * @param discoveredLabels labels before relabeling (what {@code /api/v1/targets} shows as discoveredLabels)
 */
public record Target(String job, Labels labels, Labels discoveredLabels, String url, Duration interval,
        Duration timeout) {

    /** Labels visible on scraped series: the relabeled labels without those starting with {@code __}. */
    public Labels publicLabels() {
        Labels.Builder builder = Labels.builder();
        labels.forEach((name, value) -> {
            if (!name.startsWith("__")) {
                builder.set(name, value);
            }
        });
        return builder.build();
    }

    /** Stable across processes: FNV-1a of the labels and URL (decides offsets and shards). */
    public long hash() {
        long h = labels.stableHash();
        for (int i = 0; i < url.length(); i++) {
            h ^= url.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** The Kafka key of this target's batches: job, instance and the hash, e.g. {@code node/10.0.0.1:9100#3f2a...}. */
    public String identity() {
        return job + "/" + labels.getOrEmpty("instance") + "#" + HexFormat.of().toHexDigits(hash());
    }

    /** The shard (partition of {@code scrape.shards}) owning this target among {@code shards}. */
    public int shard(int shards) {
        return (int) Long.remainderUnsigned(hash(), shards);
    }
}

package io.kprom.scraper.target;

import io.kprom.common.config.PromDuration;
import io.kprom.common.config.ScrapeConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.labels.Labels;
import io.kprom.common.relabel.Relabeler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns discovered target groups into {@link Target}s exactly as Prometheus's {@code PopulateLabels}:
 * group labels overlaid by the target's {@code __address__}; {@code job}, {@code __scrape_interval__},
 * {@code __scrape_timeout__}, {@code __metrics_path__}, {@code __scheme__} and {@code __param_<name>}
 * defaulted from the scrape config when absent; {@code relabel_configs} applied; then
 * {@code __meta_*} removed and {@code instance} defaulted to {@code __address__}. Stateless, thread-safe.
 */
public final class TargetBuilder {
    private static final String ADDRESS = "__address__";
    private static final String SCHEME = "__scheme__";
    private static final String METRICS_PATH = "__metrics_path__";
    private static final String INTERVAL = "__scrape_interval__";
    private static final String TIMEOUT = "__scrape_timeout__";
    private static final String PARAM_PREFIX = "__param_";
    private static final String META_PREFIX = "__meta_";

    private TargetBuilder() {
    }

    /** Outcome for one discovered target: an active target, or a dropped one (target null) with the reason. */
    public record Result(Target target, Labels discoveredLabels, String error) {
        public boolean dropped() {
            return target == null;
        }
    }

    public static List<Result> fromGroup(ScrapeConfig config, TargetGroup group) {
        List<Result> results = new ArrayList<>(group.targets().size());
        for (String address : group.targets()) {
            Labels.Builder builder = group.labels().toBuilder();
            builder.set(ADDRESS, address);
            results.add(populate(config, builder));
        }
        return results;
    }

    static Result populate(ScrapeConfig config, Labels.Builder builder) {
        setIfAbsent(builder, "job", config.jobName());
        setIfAbsent(builder, INTERVAL, PromDuration.format(config.scrapeInterval()));
        setIfAbsent(builder, TIMEOUT, PromDuration.format(config.scrapeTimeout()));
        setIfAbsent(builder, METRICS_PATH, config.metricsPath());
        setIfAbsent(builder, SCHEME, config.scheme());
        for (Map.Entry<String, List<String>> param : config.params().entrySet()) {
            if (!param.getValue().isEmpty()) {
                setIfAbsent(builder, PARAM_PREFIX + param.getKey(), param.getValue().get(0));
            }
        }
        Labels discovered = builder.build();
        Labels relabeled = Relabeler.process(discovered, config.relabelConfigs());
        if (relabeled == null) {
            return new Result(null, discovered, null);
        }
        String address = relabeled.get(ADDRESS);
        if (address == null) {
            return new Result(null, discovered, "no address");
        }
        if (address.contains("/")) {
            return new Result(null, discovered, "\"" + address + "\" is not a valid hostname");
        }
        Duration interval;
        Duration timeout;
        try {
            interval = PromDuration.parse(relabeled.getOrEmpty(INTERVAL));
        } catch (IllegalArgumentException e) {
            return new Result(null, discovered, "error parsing scrape interval: " + e.getMessage());
        }
        try {
            timeout = PromDuration.parse(relabeled.getOrEmpty(TIMEOUT));
        } catch (IllegalArgumentException e) {
            return new Result(null, discovered, "error parsing scrape timeout: " + e.getMessage());
        }
        if (interval.isZero()) {
            return new Result(null, discovered, "scrape interval cannot be 0");
        }
        if (timeout.isZero()) {
            return new Result(null, discovered, "scrape timeout cannot be 0");
        }
        if (timeout.compareTo(interval) > 0) {
            return new Result(null, discovered, "scrape timeout cannot be greater than scrape interval (\""
                    + relabeled.get(TIMEOUT) + "\" > \"" + relabeled.get(INTERVAL) + "\")");
        }
        Labels.Builder finalLabels = Labels.builder();
        relabeled.forEach((name, value) -> {
            if (!name.startsWith(META_PREFIX)) {
                finalLabels.set(name, value);
            }
        });
        if (finalLabels.get("instance") == null) {
            finalLabels.set("instance", address);
        }
        Labels labels = finalLabels.build();
        String url = url(config, labels);
        return new Result(new Target(config.jobName(), labels, discovered, url, interval, timeout), discovered, null);
    }

    /** scheme://address/path?params, with {@code __param_*} overriding the first value of a configured param. */
    static String url(ScrapeConfig config, Labels labels) {
        Map<String, List<String>> params = new TreeMap<>();
        config.params().forEach((key, values) -> params.put(key, new ArrayList<>(values)));
        labels.forEach((name, value) -> {
            if (name.startsWith(PARAM_PREFIX)) {
                String key = name.substring(PARAM_PREFIX.length());
                List<String> values = params.computeIfAbsent(key, k -> new ArrayList<>());
                if (values.isEmpty()) {
                    values.add(value);
                } else {
                    values.set(0, value);
                }
            }
        });
        StringBuilder sb = new StringBuilder();
        sb.append(labels.getOrEmpty(SCHEME)).append("://").append(labels.getOrEmpty(ADDRESS));
        String path = labels.getOrEmpty(METRICS_PATH);
        if (!path.startsWith("/")) {
            sb.append('/');
        }
        sb.append(path);
        char separator = '?';
        for (Map.Entry<String, List<String>> param : params.entrySet()) {
            for (String value : param.getValue()) {
                sb.append(separator).append(encode(param.getKey())).append('=').append(encode(value));
                separator = '&';
            }
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void setIfAbsent(Labels.Builder builder, String name, String value) {
        if (builder.get(name) == null) {
            builder.set(name, value);
        }
    }

    /** Groups keyed by source: the latest group per source wins, for one scrape pool. */
    public static Map<String, TargetGroup> merge(Map<String, TargetGroup> current, List<TargetGroup> updates) {
        Map<String, TargetGroup> merged = new LinkedHashMap<>(current);
        for (TargetGroup group : updates) {
            merged.put(group.source(), group);
        }
        return merged;
    }
}

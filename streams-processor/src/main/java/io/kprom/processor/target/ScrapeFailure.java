package io.kprom.processor.target;

/**
 * Why the processor failed a whole scrape, as Prometheus fails it: {@code reason} is the metric
 * label value, {@code message} the error text Prometheus would report.
 */
public record ScrapeFailure(String reason, String message) {
    public static ScrapeFailure sampleLimit(long count, long limit) {
        return new ScrapeFailure("sample_limit", "sample limit exceeded (samples: " + count + ", limit: " + limit + ")");
    }

    public static ScrapeFailure labelLimit(String metric, int count, long limit) {
        return new ScrapeFailure("label_limit", "label_limit exceeded (metric: " + truncate(metric)
                + ", number of labels: " + count + ", limit: " + limit + ")");
    }

    public static ScrapeFailure labelNameLength(String metric, String name, long limit) {
        return new ScrapeFailure("label_name_length_limit", "label_name_length_limit exceeded (metric: "
                + truncate(metric) + ", label name: " + truncate(name) + ", length: " + LabelLimitCheck.utf8Length(name) + ", limit: " + limit + ")");
    }

    public static ScrapeFailure labelValueLength(String metric, String name, String value, long limit) {
        return new ScrapeFailure("label_value_length_limit", "label_value_length_limit exceeded (metric: "
                + truncate(metric) + ", label name: " + truncate(name) + ", value: " + truncate(value)
                + ", length: " + LabelLimitCheck.utf8Length(value) + ", limit: " + limit + ")");
    }

    public static ScrapeFailure missingName(String labels) {
        return new ScrapeFailure("missing_metric_name", "__name__ label is missing after metric relabeling: " + labels);
    }

    public static ScrapeFailure targetLimit(long count, long limit) {
        return new ScrapeFailure("target_limit", "target_limit exceeded (number of targets: " + count + ", limit: " + limit + ")");
    }

    private static String truncate(String value) {
        return value == null ? "" : value.length() <= 50 ? value : value.substring(0, 50);
    }
}

package io.kprom.promql.rules.template;

import java.util.Map;

/**
 * The dot of an alert template: {@code .Labels}, {@code .ExternalLabels}, {@code .ExternalURL},
 * {@code .Value}, also bound to {@code $labels}, {@code $externalLabels}, {@code $externalURL}
 * and {@code $value} as in Prometheus. Immutable.
 */
public record TemplateData(Map<String, String> labels, Map<String, String> externalLabels, String externalUrl,
        double value) {
    public TemplateData {
        labels = Map.copyOf(labels);
        externalLabels = Map.copyOf(externalLabels);
        externalUrl = externalUrl == null ? "" : externalUrl;
    }
}

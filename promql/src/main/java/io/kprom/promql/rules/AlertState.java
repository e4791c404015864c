package io.kprom.promql.rules;

import java.util.Locale;

/** State of one alert instance, ordered inactive &lt; pending &lt; firing as in Prometheus. */
public enum AlertState {
    INACTIVE, PENDING, FIRING;

    /** "inactive", "pending" or "firing", as in {@code ALERTS{alertstate}} and the HTTP API. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

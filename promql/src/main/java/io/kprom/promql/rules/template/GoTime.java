package io.kprom.promql.rules.template;

/** A {@code time.Time} value in a template (from {@code toTime}); prints like Go's {@code Time.String()}. */
record GoTime(double unixSeconds) {
    @Override
    public String toString() {
        return Humanize.goTime(unixSeconds);
    }
}

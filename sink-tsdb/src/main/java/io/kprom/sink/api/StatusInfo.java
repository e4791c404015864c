package io.kprom.sink.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the status endpoints report about this process. Immutable; {@code configYaml} is read on
 * each call so a reloaded configuration shows.
 *
 * @param version the Prometheus API version kprom implements (Grafana picks features from it)
 * @param revision kprom's own version
 * @param flags command-line flags, Prometheus-style names to values
 * @param configYaml the loaded prometheus.yml text
 * @param storageRetention retention as Prometheus prints it, e.g. "15d" or "15d or 10GiB"
 */
public record StatusInfo(String version, String revision, String branch, Instant startTime,
        Map<String, String> flags, Supplier<String> configYaml, String storageRetention) {
    public StatusInfo {
        flags = Map.copyOf(flags);
    }

    /** Formats a duration as Prometheus's model.Duration does: "15d", "2w", "1h30m", "0s". */
    public static String formatDuration(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long[] unitMillis = {365L * 86_400_000, 7L * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1};
        String[] units = {"y", "w", "d", "h", "m", "s", "ms"};
        for (int i = 0; i < units.length; i++) {
            if (i < 2 && millis % unitMillis[i] != 0) {
                continue; // like Prometheus: years and weeks only when exact ("90d", not "12w6d")
            }
            long count = millis / unitMillis[i];
            if (count > 0) {
                out.append(count).append(units[i]);
                millis -= count * unitMillis[i];
            }
        }
        return out.toString();
    }
}

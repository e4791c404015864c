package io.kprom.sink;

import io.kprom.sink.api.QueryLimits;
import io.kprom.sink.api.StatusInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The sink's command-line flags, named as Prometheus names them. Immutable.
 *
 * @param storagePath {@code --storage.tsdb.path} (standalone: {@code --storage.path})
 * @param retentionTime {@code --storage.tsdb.retention.time} (default 15d)
 * @param retentionSizeBytes {@code --storage.tsdb.retention.size}, 0 = unlimited
 * @param lookbackDelta {@code --query.lookback-delta} (default 5m)
 * @param maxSamples {@code --query.max-samples} (default 50 000 000)
 * @param queryTimeout {@code --query.timeout} (default 2m)
 * @param maxConcurrency {@code --query.max-concurrency} (default 20)
 * @param enableAdminApi {@code --web.enable-admin-api}
 * @param webConfigFile {@code --web.config.file}, or null; the caller gives it to the HttpServer,
 *     the sink only reports it in {@code /api/v1/status/flags}
 * @param readyMaxLag {@code /-/ready} turns ready once ingest is at most this many records behind
 */
public record SinkOptions(Path storagePath, Duration retentionTime, long retentionSizeBytes, Duration lookbackDelta,
        long maxSamples, Duration queryTimeout, int maxConcurrency, boolean enableAdminApi, Path webConfigFile,
        long readyMaxLag) {
    public SinkOptions {
        Objects.requireNonNull(storagePath, "storage.tsdb.path");
        Objects.requireNonNull(retentionTime, "storage.tsdb.retention.time");
        if (retentionSizeBytes < 0) {
            throw new IllegalArgumentException("storage.tsdb.retention.size must be >= 0, got " + retentionSizeBytes);
        }
        if (readyMaxLag < 0) {
            throw new IllegalArgumentException("readyMaxLag must be >= 0, got " + readyMaxLag);
        }
        limits(lookbackDelta, maxSamples, queryTimeout, maxConcurrency);
    }

    /** Prometheus's defaults with the given data directory. */
    public static SinkOptions defaults(Path storagePath) {
        QueryLimits limits = QueryLimits.defaults();
        return new SinkOptions(storagePath, Duration.ofDays(15), 0, limits.lookbackDelta(), limits.maxSamples(),
                limits.timeout(), limits.maxConcurrency(), false, null, 1000);
    }

    public SinkOptions withAdminApi(boolean enabled) {
        return new SinkOptions(storagePath, retentionTime, retentionSizeBytes, lookbackDelta, maxSamples, queryTimeout,
                maxConcurrency, enabled, webConfigFile, readyMaxLag);
    }

    public QueryLimits queryLimits() {
        return limits(lookbackDelta, maxSamples, queryTimeout, maxConcurrency);
    }

    private static QueryLimits limits(Duration lookbackDelta, long maxSamples, Duration timeout, int concurrency) {
        return new QueryLimits(lookbackDelta, maxSamples, timeout, concurrency);
    }

    /** The flags as {@code /api/v1/status/flags} reports them. */
    public Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("storage.tsdb.path", storagePath.toString());
        flags.put("storage.tsdb.retention.time", StatusInfo.formatDuration(retentionTime));
        flags.put("storage.tsdb.retention.size", retentionSizeBytes == 0 ? "0B" : retentionSizeBytes + "B");
        flags.put("query.lookback-delta", StatusInfo.formatDuration(lookbackDelta));
        flags.put("query.max-samples", Long.toString(maxSamples));
        flags.put("query.timeout", StatusInfo.formatDuration(queryTimeout));
        flags.put("query.max-concurrency", Integer.toString(maxConcurrency));
        flags.put("web.enable-admin-api", Boolean.toString(enableAdminApi));
        flags.put("web.config.file", webConfigFile == null ? "" : webConfigFile.toString());
        return flags;
    }

    /** Retention as Prometheus's runtimeinfo prints it: "15d", or "15d or 10GiB"-style with a size. */
    public String retentionDescription() {
        String time = StatusInfo.formatDuration(retentionTime);
        return retentionSizeBytes == 0 ? time : time + " or " + retentionSizeBytes + "B";
    }
}

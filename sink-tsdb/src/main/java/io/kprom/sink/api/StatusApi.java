package io.kprom.sink.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryException.ErrorType;
import io.kprom.sink.storage.TsdbStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /api/v1/status/buildinfo}, {@code runtimeinfo}, {@code flags}, {@code config},
 * {@code tsdb}, {@code /api/v1/format_query} and the TSDB admin endpoints (answering
 * {@code unavailable} unless {@code --web.enable-admin-api} is set). Thread-safe.
 */
public final class StatusApi {
    private final StatusInfo info;
    private final TsdbAdmin tsdb;
    private final PromqlSyntax syntax;
    private final boolean adminEnabled;

    public StatusApi(StatusInfo info, TsdbAdmin tsdb, PromqlSyntax syntax, boolean adminEnabled) {
        this.info = info;
        this.tsdb = tsdb;
        this.syntax = syntax;
        this.adminEnabled = adminEnabled;
    }

    public ApiEndpoint buildInfoEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, request -> ApiResult.of(json -> {
            json.writeStartObject();
            json.writeStringField("version", info.version());
            json.writeStringField("revision", info.revision());
            json.writeStringField("branch", info.branch());
            json.writeStringField("buildUser", "kprom");
            json.writeStringField("buildDate", "");
            json.writeStringField("goVersion", "java" + System.getProperty("java.version"));
            json.writeEndObject();
        }));
    }

    public ApiEndpoint runtimeInfoEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, request -> ApiResult.of(json -> {
            Runtime runtime = Runtime.getRuntime();
            json.writeStartObject();
            json.writeStringField("startTime", DateTimeFormatter.ISO_INSTANT.format(info.startTime()));
            json.writeStringField("CWD", Path.of("").toAbsolutePath().toString());
            json.writeBooleanField("reloadConfigSuccess", true);
            json.writeStringField("lastConfigTime", DateTimeFormatter.ISO_INSTANT.format(info.startTime()));
            json.writeNumberField("corruptionCount", 0);
            json.writeNumberField("goroutineCount", Thread.activeCount());
            json.writeNumberField("GOMAXPROCS", runtime.availableProcessors());
            json.writeNumberField("GOMEMLIMIT", runtime.maxMemory());
            json.writeStringField("GOGC", "");
            json.writeStringField("GODEBUG", "");
            json.writeStringField("storageRetention", info.storageRetention());
            json.writeEndObject();
        }));
    }

    public ApiEndpoint flagsEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, request -> ApiResult.of(json -> {
            json.writeStartObject();
            for (Map.Entry<String, String> flag : new TreeMap<>(info.flags()).entrySet()) {
                json.writeStringField(flag.getKey(), flag.getValue());
            }
            json.writeEndObject();
        }));
    }

    public ApiEndpoint configEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, request -> {
            String yaml = java.util.Objects.requireNonNullElse(info.configYaml().get(), "");
            return ApiResult.of(json -> {
                json.writeStartObject();
                json.writeStringField("yaml", yaml);
                json.writeEndObject();
            });
        });
    }

    public ApiEndpoint tsdbEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, request -> {
            int limit = 10;
            String text = request.value("limit");
            if (!text.isEmpty()) {
                try {
                    limit = Integer.parseInt(text);
                } catch (NumberFormatException e) {
                    limit = 0;
                }
                if (limit < 1) {
                    throw new QueryException(ErrorType.BAD_DATA, "limit must be a positive number");
                }
            }
            TsdbStats stats = tsdb.stats(limit);
            return ApiResult.of(json -> writeTsdbStats(json, stats));
        });
    }

    public ApiEndpoint formatQueryEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET_POST, request -> {
            String formatted;
            try {
                formatted = syntax.format(request.value("query"));
            } catch (RuntimeException e) {
                throw ApiRequest.invalidParameter("query", String.valueOf(e.getMessage()));
            }
            return ApiResult.of(json -> json.writeString(formatted));
        });
    }

    public ApiEndpoint deleteSeriesEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.POST_PUT, request -> {
            requireAdmin();
            if (request.values("match[]").isEmpty()) {
                throw new QueryException(ErrorType.BAD_DATA, "no match[] parameter provided");
            }
            long start = request.timeMillis("start", ApiParams.MIN_TIME_MILLIS);
            long end = request.timeMillis("end", ApiParams.MAX_TIME_MILLIS);
            for (String selector : request.values("match[]")) {
                var matchers = SeriesApi.parseMatcherSets(syntax, List.of(selector)).get(0);
                try {
                    tsdb.deleteSeries(matchers, start, end);
                } catch (IllegalArgumentException e) {
                    throw new QueryException(ErrorType.BAD_DATA, e.getMessage(), e);
                } catch (RuntimeException e) {
                    throw new QueryException(ErrorType.INTERNAL, String.valueOf(e.getMessage()), e);
                }
            }
            return ApiResult.noContent();
        });
    }

    public ApiEndpoint cleanTombstonesEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.POST_PUT, request -> {
            requireAdmin();
            try {
                tsdb.cleanTombstones();
            } catch (RuntimeException e) {
                throw new QueryException(ErrorType.INTERNAL, String.valueOf(e.getMessage()), e);
            }
            return ApiResult.noContent();
        });
    }

    public ApiEndpoint snapshotEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.POST_PUT, request -> {
            requireAdmin();
            boolean skipHead = false;
            String text = request.value("skip_head");
            if (!text.isEmpty()) {
                skipHead = switch (text) {
                    case "1", "t", "T", "TRUE", "true", "True" -> true;
                    case "0", "f", "F", "FALSE", "false", "False" -> false;
                    default -> throw new QueryException(ErrorType.BAD_DATA,
                            "unable to parse boolean 'skip_head' argument: strconv.ParseBool: parsing \"" + text
                                    + "\": invalid syntax");
                };
            }
            Path snapshot;
            try {
                snapshot = tsdb.snapshot(skipHead);
            } catch (RuntimeException e) {
                throw new QueryException(ErrorType.INTERNAL, "create snapshot: " + e.getMessage(), e);
            }
            String name = snapshot.getFileName().toString();
            return ApiResult.of(json -> {
                json.writeStartObject();
                json.writeStringField("name", name);
                json.writeEndObject();
            });
        });
    }

    private void requireAdmin() {
        if (!adminEnabled) {
            throw new QueryException(ErrorType.UNAVAILABLE, "admin APIs disabled");
        }
    }

    static void writeTsdbStats(JsonGenerator json, TsdbStats stats) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("headStats");
        TsdbStats.HeadStats head = stats.headStats();
        json.writeNumberField("numSeries", head.numSeries());
        json.writeNumberField("numLabelPairs", head.numLabelPairs());
        json.writeNumberField("chunkCount", head.chunkCount());
        json.writeNumberField("minTime", head.minTime());
        json.writeNumberField("maxTime", head.maxTime());
        json.writeEndObject();
        writeEntries(json, "seriesCountByMetricName", stats.seriesCountByMetricName());
        writeEntries(json, "labelValueCountByLabelName", stats.labelValueCountByLabelName());
        writeEntries(json, "memoryInBytesByLabelName", stats.memoryInBytesByLabelName());
        writeEntries(json, "seriesCountByLabelValuePair", stats.seriesCountByLabelValuePair());
        json.writeEndObject();
    }

    private static void writeEntries(JsonGenerator json, String field, List<TsdbStats.Entry> entries) throws IOException {
        json.writeArrayFieldStart(field);
        for (TsdbStats.Entry entry : entries) {
            json.writeStartObject();
            json.writeStringField("name", entry.name());
            json.writeNumberField("value", entry.value());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}

package io.kprom.sink.api;

import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryException.ErrorType;
import java.util.Map;

/**
 * {@code /api/v1/metadata} ({@code limit}, {@code limit_per_metric}, {@code metric}) and
 * {@code /api/v1/query_exemplars} (always empty: exemplars are not stored yet). Thread-safe.
 */
public final class MetadataApi {
    private final MetricMetadataSource metadata;
    private final PromqlSyntax syntax;

    public MetadataApi(MetricMetadataSource metadata, PromqlSyntax syntax) {
        this.metadata = metadata;
        this.syntax = syntax;
    }

    public ApiEndpoint metadataEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, this::metadata);
    }

    public ApiEndpoint exemplarsEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET_POST, this::exemplars);
    }

    ApiResult metadata(ApiRequest request) {
        int limit = number(request, "limit");
        int limitPerMetric = number(request, "limit_per_metric");
        String metric = request.value("metric");
        Map<String, MetricMetadataSource.Entry> all = metadata.snapshot();
        return ApiResult.of(json -> {
            json.writeStartObject();
            int families = 0;
            for (Map.Entry<String, MetricMetadataSource.Entry> family : all.entrySet()) {
                if (!metric.isEmpty() && !metric.equals(family.getKey())) {
                    continue;
                }
                if (limit >= 0 && families >= limit) {
                    break;
                }
                families++;
                json.writeArrayFieldStart(family.getKey());
                if (limitPerMetric != 0) {
                    MetricMetadataSource.Entry entry = family.getValue();
                    json.writeStartObject();
                    json.writeStringField("type", entry.type());
                    json.writeStringField("help", entry.help());
                    json.writeStringField("unit", entry.unit());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        });
    }

    private static int number(ApiRequest request, String name) {
        String text = request.value(name);
        if (text.isEmpty()) {
            return -1;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new QueryException(ErrorType.BAD_DATA, name + " must be a number");
        }
    }

    ApiResult exemplars(ApiRequest request) {
        request.timeMillis("start", ApiParams.MIN_TIME_MILLIS);
        request.timeMillis("end", ApiParams.MAX_TIME_MILLIS);
        try {
            syntax.check(request.value("query"));
        } catch (RuntimeException e) {
            throw ApiRequest.invalidParameter("query", String.valueOf(e.getMessage()));
        }
        return ApiResult.of(json -> {
            json.writeStartArray();
            json.writeEndArray();
        });
    }
}

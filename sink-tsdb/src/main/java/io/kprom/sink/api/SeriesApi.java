package io.kprom.sink.api;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryException.ErrorType;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.Queryable;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@code /api/v1/series}, {@code /api/v1/labels} and {@code /api/v1/label/<name>/values}, with
 * {@code match[]}, {@code start}, {@code end} and {@code limit} as Prometheus reads them. Thread-safe.
 */
public final class SeriesApi {
    static final String VALUES_PREFIX = "/api/v1/label/";

    private final Queryable storage;
    private final PromqlSyntax syntax;

    public SeriesApi(Queryable storage, PromqlSyntax syntax) {
        this.storage = storage;
        this.syntax = syntax;
    }

    public ApiEndpoint seriesEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET_POST, this::series);
    }

    public ApiEndpoint labelsEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET_POST, this::labels);
    }

    /** Mount at {@code /api/v1/label/*}. */
    public ApiEndpoint labelValuesEndpoint() {
        return ApiEndpoint.of(ApiEndpoint.GET, this::labelValues);
    }

    ApiResult series(ApiRequest request) {
        if (request.values("match[]").isEmpty()) {
            throw new QueryException(ErrorType.BAD_DATA, "no match[] parameter provided");
        }
        int limit = request.limit("limit");
        long start = request.timeMillis("start", ApiParams.MIN_TIME_MILLIS);
        long end = request.timeMillis("end", ApiParams.MAX_TIME_MILLIS);
        List<List<LabelMatcher>> matcherSets = matcherSets(request);
        TreeSet<Labels> found = new TreeSet<>();
        try (Querier querier = storage.querier(start, end)) {
            SelectHints hints = new SelectHints(start, end, 0, "series", 0);
            for (List<LabelMatcher> matchers : matcherSets) {
                try (SeriesSet set = querier.select(false, hints, matchers)) {
                    while (set.next()) {
                        found.add(set.labels());
                    }
                }
            }
        }
        List<Labels> result = new ArrayList<>(found);
        List<String> warnings = new ArrayList<>();
        if (limit > 0 && result.size() > limit) {
            result = result.subList(0, limit);
            warnings.add(QueryApi.TRUNCATED);
        }
        List<Labels> answer = result;
        return ApiResult.of(json -> {
            json.writeStartArray();
            for (Labels labels : answer) {
                ApiJson.writeLabels(json, labels);
            }
            json.writeEndArray();
        }, warnings, List.of());
    }

    ApiResult labels(ApiRequest request) {
        int limit = request.limit("limit");
        long start = request.timeMillis("start", ApiParams.MIN_TIME_MILLIS);
        long end = request.timeMillis("end", ApiParams.MAX_TIME_MILLIS);
        List<List<LabelMatcher>> matcherSets = matcherSets(request);
        TreeSet<String> names = new TreeSet<>();
        try (Querier querier = storage.querier(start, end)) {
            if (matcherSets.isEmpty()) {
                names.addAll(querier.labelNames(List.of()));
            }
            for (List<LabelMatcher> matchers : matcherSets) {
                names.addAll(querier.labelNames(matchers));
            }
        }
        return stringList(names, limit);
    }

    ApiResult labelValues(ApiRequest request) {
        String path = request.path();
        if (!path.startsWith(VALUES_PREFIX) || !path.endsWith("/values")
                || path.length() <= VALUES_PREFIX.length() + "/values".length()) {
            throw new QueryException(ErrorType.BAD_DATA, "unknown path " + path + ", expected /api/v1/label/<name>/values");
        }
        String name = path.substring(VALUES_PREFIX.length(), path.length() - "/values".length());
        name = LabelNames.unescape(name);
        if (!LabelNames.valid(name)) {
            throw new QueryException(ErrorType.BAD_DATA, "invalid label name: \"" + name + "\"");
        }
        int limit = request.limit("limit");
        long start = request.timeMillis("start", ApiParams.MIN_TIME_MILLIS);
        long end = request.timeMillis("end", ApiParams.MAX_TIME_MILLIS);
        List<List<LabelMatcher>> matcherSets = matcherSets(request);
        TreeSet<String> values = new TreeSet<>();
        try (Querier querier = storage.querier(start, end)) {
            if (matcherSets.isEmpty()) {
                values.addAll(querier.labelValues(name, List.of()));
            }
            for (List<LabelMatcher> matchers : matcherSets) {
                values.addAll(querier.labelValues(name, matchers));
            }
        }
        return stringList(values, limit);
    }

    private static ApiResult stringList(TreeSet<String> sorted, int limit) {
        List<String> result = new ArrayList<>(sorted);
        List<String> warnings = new ArrayList<>();
        if (limit > 0 && result.size() > limit) {
            result = result.subList(0, limit);
            warnings.add(QueryApi.TRUNCATED);
        }
        List<String> answer = result;
        return ApiResult.of(json -> {
            json.writeStartArray();
            for (String value : answer) {
                json.writeString(value);
            }
            json.writeEndArray();
        }, warnings, List.of());
    }

    /** Parses every {@code match[]}; each set needs a matcher that does not match the empty string. */
    List<List<LabelMatcher>> matcherSets(ApiRequest request) {
        return parseMatcherSets(syntax, request.values("match[]"));
    }

    static List<List<LabelMatcher>> parseMatcherSets(PromqlSyntax syntax, List<String> selectors) {
        List<List<LabelMatcher>> sets = new ArrayList<>();
        for (String selector : selectors) {
            List<LabelMatcher> matchers;
            try {
                matchers = syntax.parseMetricSelector(selector);
            } catch (RuntimeException e) {
                throw ApiRequest.invalidParameter("match[]", String.valueOf(e.getMessage()));
            }
            if (matchers.stream().allMatch(LabelMatcher::matchesEmpty)) {
                throw ApiRequest.invalidParameter("match[]", "match[] must contain at least one non-empty matcher");
            }
            sets.add(matchers);
        }
        return sets;
    }
}

package io.kprom.sink.api;

import io.kprom.promql.engine.QueryException;
import io.kprom.promql.engine.QueryException.ErrorType;
import java.util.List;
import org.eclipse.jetty.util.Fields;

/**
 * The parameters of one API call: URL query parameters merged with an
 * {@code application/x-www-form-urlencoded} body (Grafana POSTs forms), plus the path. Read-only.
 */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final Fields fields;

    public ApiRequest(String method, String path, Fields fields) {
        this.method = method;
        this.path = path;
        this.fields = fields == null ? Fields.EMPTY : fields;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** First value of a parameter, or "" when absent (Go's {@code r.FormValue}). */
    public String value(String name) {
        Fields.Field field = fields.get(name);
        if (field == null || field.getValues().isEmpty()) {
            return "";
        }
        return field.getValue();
    }

    /** All values of a repeated parameter such as {@code match[]}. */
    public List<String> values(String name) {
        Fields.Field field = fields.get(name);
        return field == null ? List.of() : field.getValues();
    }

    /** Milliseconds from a {@code time}/{@code start}/{@code end} parameter, or the default when absent. */
    public long timeMillis(String name, long defaultMillis) {
        String value = value(name);
        if (value.isEmpty()) {
            return defaultMillis;
        }
        try {
            return ApiParams.parseTimeMillis(value);
        } catch (IllegalArgumentException e) {
            throw invalidParameter(name, "invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    /** A {@code limit} parameter: 0 (no limit) when absent. */
    public int limit(String name) {
        try {
            return ApiParams.parseLimit(value(name));
        } catch (IllegalArgumentException e) {
            throw invalidParameter(name, e.getMessage());
        }
    }

    /** Prometheus's {@code invalid parameter "name": reason} bad_data error. */
    public static QueryException invalidParameter(String name, String reason) {
        return new QueryException(ErrorType.BAD_DATA, "invalid parameter \"" + name + "\": " + reason);
    }
}

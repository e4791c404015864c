package io.kprom.promql.engine;

/**
 * A query that could not be answered, with the HTTP API's {@code errorType}. The message is what
 * Prometheus would put in {@code error}, e.g. {@code 1:14: parse error: unexpected <by> in aggregation}.
 */
public class QueryException extends RuntimeException {
    /** Prometheus API error types, with the HTTP status Prometheus uses for each. */
    public enum ErrorType {
        BAD_DATA("bad_data", 400), EXECUTION("execution", 422), TIMEOUT("timeout", 503),
        CANCELED("canceled", 499), INTERNAL("internal", 500), UNAVAILABLE("unavailable", 503);

        private final String apiName;
        private final int httpStatus;

        ErrorType(String apiName, int httpStatus) {
            this.apiName = apiName;
            this.httpStatus = httpStatus;
        }

        public String apiName() {
            return apiName;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final ErrorType type;

    public QueryException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public QueryException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    public ErrorType type() {
        return type;
    }
}

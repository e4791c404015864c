package io.kprom.sink.api;

import io.kprom.common.http.HttpServer;
import io.kprom.promql.engine.QueryException;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Prometheus API endpoint as a Jetty handler: checks the method, merges URL and form
 * parameters, runs {@link #serve} and writes the JSON envelope with Prometheus's status code for
 * the error type. Subclasses are stateless or thread-safe; Jetty calls them concurrently.
 */
public abstract class ApiEndpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ApiEndpoint.class);
    static final String JSON = "application/json";

    /** Go's {@code http.Request.ParseForm} reads form bodies up to 10 MiB (Jetty's default is 200 000 bytes). */
    static final int MAX_FORM_BYTES = 10 << 20;
    /** Form fields per request; generous for long {@code match[]} lists. */
    static final int MAX_FORM_FIELDS = 10_000;

    private final Set<String> methods;

    protected ApiEndpoint(Set<String> methods) {
        this.methods = Set.copyOf(methods);
    }

    protected static final Set<String> GET_POST = Set.of("GET", "POST");
    protected static final Set<String> GET = Set.of("GET");
    protected static final Set<String> POST_PUT = Set.of("POST", "PUT");

    /** Answers one call; throws {@link QueryException} for API errors. */
    protected abstract ApiResult serve(ApiRequest request);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (method.equals("OPTIONS")) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        if (!methods.contains(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
            HttpServer.sendText(response, callback, 405, "Method Not Allowed\n");
            return true;
        }
        Fields fields;
        try {
            fields = Fields.combine(Request.extractQueryParameters(request),
                    FormFields.getFields(request, MAX_FORM_FIELDS, MAX_FORM_BYTES));
        } catch (Exception e) {
            sendError(response, callback, QueryException.ErrorType.BAD_DATA,
                    "error parsing form values: " + e.getMessage(), List.of());
            return true;
        }
        try {
            ApiResult result = serve(new ApiRequest(method, Request.getPathInContext(request), fields));
            if (result.empty()) {
                response.setStatus(204);
                callback.succeeded();
            } else {
                HttpServer.send(response, callback, 200, JSON, ApiJson.success(result));
            }
        } catch (QueryException e) {
            sendError(response, callback, e.type(), e.getMessage(), List.of());
        } catch (OutOfMemoryError e) {
            // A query of death must not take the process down; the allocation that failed is released.
            ApiMetrics.QUERIES_OUT_OF_MEMORY.inc();
            sendError(response, callback, QueryException.ErrorType.EXECUTION,
                    "query processing ran out of memory; lower the time range or resolution, or narrow the selectors",
                    List.of());
        } catch (RuntimeException e) {
            LOG.warn("API call {} failed", Request.getPathInContext(request), e);
            sendError(response, callback, QueryException.ErrorType.INTERNAL, String.valueOf(e.getMessage()), List.of());
        }
        return true;
    }

    static void sendError(Response response, Callback callback, QueryException.ErrorType type, String message,
            List<String> warnings) {
        HttpServer.send(response, callback, type.httpStatus(), JSON,
                ApiJson.error(type.apiName(), message, warnings, List.of()));
    }

    /** An endpoint from a lambda. */
    public static ApiEndpoint of(Set<String> methods, java.util.function.Function<ApiRequest, ApiResult> body) {
        return new ApiEndpoint(methods) {
            @Override
            protected ApiResult serve(ApiRequest request) {
                return body.apply(request);
            }
        };
    }
}

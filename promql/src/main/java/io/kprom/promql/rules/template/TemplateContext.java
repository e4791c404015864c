package io.kprom.promql.rules.template;

import java.util.List;

/**
 * What a template may reach while it executes: PromQL (for {@code query}) at the evaluation
 * time, and the external URL for {@code externalURL}/{@code pathPrefix}. Called on the
 * evaluating thread only.
 */
public interface TemplateContext {
    /** Runs an instant query at the evaluation time; throws with the query's error. */
    List<QuerySample> query(String expr) throws Exception;

    /** Evaluation time in milliseconds (for {@code now}). */
    long timeMillis();

    /** Prometheus's external URL (for {@code externalURL} and {@code pathPrefix}); empty when unset. */
    default String externalUrl() {
        return "";
    }

    /** A context with no query access, for rendering without storage (fails calls to {@code query}). */
    static TemplateContext withoutQueries(long timeMillis) {
        return new TemplateContext() {
            @Override
            public List<QuerySample> query(String expr) {
                throw new IllegalStateException("query is not available here");
            }

            @Override
            public long timeMillis() {
                return timeMillis;
            }
        };
    }
}

package io.kprom.promql.engine;

import io.kprom.promql.ast.PositionRange;
import io.kprom.promql.storage.Querier;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * State of one query execution shared by all operators: storage, limits, the query's own time range
 * (for {@code @ start()} / {@code end()}), and the annotations collected so far. One per query; not
 * thread-safe.
 */
final class EvaluationContext {
    private final Querier querier;
    private final String query;
    private final long queryStartMillis;
    private final long queryEndMillis;
    private final long lookbackDeltaMillis;
    private final long defaultSubqueryStepMillis;
    private final long maxSamples;
    private final long deadlineNanos;
    private final Thread owner = Thread.currentThread();
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();
    private long currentSamples;
    private int checks;

    EvaluationContext(Querier querier, String query, long queryStartMillis, long queryEndMillis,
            QueryOptions options, long defaultSubqueryStepMillis) {
        this.querier = querier;
        this.query = query;
        this.queryStartMillis = queryStartMillis;
        this.queryEndMillis = queryEndMillis;
        this.lookbackDeltaMillis = options.lookbackDelta().toMillis();
        this.defaultSubqueryStepMillis = defaultSubqueryStepMillis;
        this.maxSamples = options.maxSamples();
        this.deadlineNanos = System.nanoTime() + options.timeout().toNanos();
    }

    Querier querier() {
        return querier;
    }

    long queryStartMillis() {
        return queryStartMillis;
    }

    long queryEndMillis() {
        return queryEndMillis;
    }

    long lookbackDeltaMillis() {
        return lookbackDeltaMillis;
    }

    long defaultSubqueryStepMillis() {
        return defaultSubqueryStepMillis;
    }

    /** Accounts samples held in memory; fails the query past the limit. */
    void addSamples(long count) {
        currentSamples += count;
        if (currentSamples > maxSamples) {
            throw new QueryException(QueryException.ErrorType.EXECUTION,
                    "query processing would load too many samples into memory in query execution");
        }
    }

    void releaseSamples(long count) {
        currentSamples = Math.max(0, currentSamples - count);
    }

    /** Throws when the query timed out or its thread was interrupted; cheap enough for inner loops. */
    void checkAlive() {
        if ((++checks & 63) != 0) {
            return;
        }
        checkAliveNow();
    }

    void checkAliveNow() {
        if (owner.isInterrupted()) {
            throw new QueryException(QueryException.ErrorType.CANCELED, "query was canceled in expression evaluation");
        }
        if (System.nanoTime() - deadlineNanos > 0) {
            throw new QueryException(QueryException.ErrorType.TIMEOUT, "query timed out in expression evaluation");
        }
    }

    void warn(String message, PositionRange position) {
        warnings.add("PromQL warning: " + message + positionSuffix(position));
    }

    void info(String message, PositionRange position) {
        infos.add("PromQL info: " + message + positionSuffix(position));
    }

    Set<String> warnings() {
        return warnings;
    }

    Set<String> infos() {
        return infos;
    }

    /** " (line:column)" of a node in the query text, as Prometheus appends to annotations. */
    private String positionSuffix(PositionRange position) {
        if (position == null || query == null || position.equals(PositionRange.NONE) && query.isEmpty()) {
            return "";
        }
        int line = 1;
        int column = 1;
        for (int i = 0; i < position.start() && i < query.length(); i++) {
            if (query.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return " (" + line + ":" + column + ")";
    }
}

package io.kprom.sink.api;

import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.QueryResult;
import io.kprom.promql.storage.Queryable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** A hand-written engine for API tests: records each call and answers with a supplied result. */
final class RecordingEngine implements QueryEngine {
    record Call(String query, long start, long end, long step, QueryOptions options) {
    }

    final List<Call> calls = new ArrayList<>();
    volatile Supplier<QueryResult> answer;

    RecordingEngine(Supplier<QueryResult> answer) {
        this.answer = answer;
    }

    @Override
    public QueryResult instantQuery(Queryable storage, String query, long timeMillis, QueryOptions options) {
        synchronized (calls) {
            calls.add(new Call(query, timeMillis, timeMillis, 0, options));
        }
        return answer.get();
    }

    @Override
    public QueryResult rangeQuery(Queryable storage, String query, long startMillis, long endMillis, long stepMillis,
            QueryOptions options) {
        synchronized (calls) {
            calls.add(new Call(query, startMillis, endMillis, stepMillis, options));
        }
        return answer.get();
    }

    Call last() {
        synchronized (calls) {
            return calls.get(calls.size() - 1);
        }
    }
}

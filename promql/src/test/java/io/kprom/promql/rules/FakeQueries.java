package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/** A hand-written query function: each expression answers from a function of the query time. */
final class FakeQueries implements QueryFunction {
    private final Map<String, LongFunction<List<Value.Sample>>> answers = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    FakeQueries answer(String expr, LongFunction<List<Value.Sample>> answer) {
        answers.put(expr, answer);
        return this;
    }

    /** The expression returns one series with {@code labels} and {@code value} while {@code active} says so. */
    FakeQueries series(String expr, Labels labels, double value, java.util.function.LongPredicate active) {
        return answer(expr, t -> active.test(t) ? List.of(new Value.Sample(labels, t, value)) : List.of());
    }

    @Override
    public List<Value.Sample> query(String expr, long timeMillis) {
        asked.add(expr + "@" + timeMillis);
        LongFunction<List<Value.Sample>> answer = answers.get(expr);
        if (answer == null) {
            throw new IllegalArgumentException("unexpected query " + expr);
        }
        return answer.apply(timeMillis);
    }
}

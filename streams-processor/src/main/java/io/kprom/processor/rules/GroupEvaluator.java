package io.kprom.processor.rules;

import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.Queryable;
import java.util.List;

/**
 * Evaluates a recording rule group's rules in order at one evaluation time (queries run at
 * {@code evaluationTime - query_offset}), so later rules see earlier results of the same
 * evaluation. A rule that fails does not stop the others. Implementations must be thread-safe
 * (stream threads share one).
 */
public interface GroupEvaluator {
    /**
     * @param samples every output sample, stamped at the query time: labels with {@code __name__} =
     *        the record name and the rule's labels; no stale markers (the rule stage writes those)
     * @param failures error messages of the rules that failed, prefixed by the record name
     */
    record Result(List<Value.Sample> samples, List<String> failures) {
        public Result {
            samples = List.copyOf(samples);
            failures = List.copyOf(failures);
        }
    }

    Result evaluate(RecordingGroup group, Queryable data, long evaluationTimeMillis);
}

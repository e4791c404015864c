package io.kprom.processor.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.Value;
import io.kprom.promql.rules.RecordingRule;
import io.kprom.promql.rules.Rule;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleHealth;
import io.kprom.promql.rules.RuleResultAppender;
import io.kprom.promql.rules.RuleSpec;
import io.kprom.promql.storage.Queryable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link GroupEvaluator} on the PromQL rule engine ({@link RuleGroup}): each evaluation builds the
 * group over the rule window, so the engine's in-memory "previous series" start empty and the
 * stale markers come from the rule stage's changelogged state instead (they survive restarts and
 * rebalances). Thread-safe when the engine is.
 */
public final class RuleEngineGroupEvaluator implements GroupEvaluator {
    private final QueryEngine engine;
    private final QueryOptions options;

    public RuleEngineGroupEvaluator(QueryEngine engine, QueryOptions options) {
        this.engine = engine;
        this.options = options;
    }

    @Override
    public Result evaluate(RecordingGroup group, Queryable data, long evaluationTimeMillis) {
        List<RuleSpec> rules = new ArrayList<>();
        for (io.kprom.processor.rules.RecordingRule rule : group.rules()) {
            rules.add(new RuleSpec.Recording(rule.record(), rule.expr(), rule.labels()));
        }
        RuleGroupSpec spec = new RuleGroupSpec(Path.of(group.name()), group.name(), Duration.ofMillis(group.intervalMillis()),
                Duration.ofMillis(group.queryOffsetMillis()), group.limit(), Labels.EMPTY, rules);
        List<Value.Sample> samples = new ArrayList<>();
        RuleResultAppender appender = (labels, timestamp, value) -> {
            if (!RuleResultAppender.isStaleMarker(value)) {
                samples.add(new Value.Sample(labels, timestamp, value));
            }
        };
        RuleGroup ruleGroup = RuleGroup.builder(spec).queryEngine(engine, data, options).appender(appender).build();
        ruleGroup.evaluate(evaluationTimeMillis);
        List<String> failures = new ArrayList<>();
        for (Rule rule : ruleGroup.rules()) {
            if (rule instanceof RecordingRule recording && recording.health() == RuleHealth.ERR) {
                failures.add(recording.name() + ": " + recording.lastError());
            }
        }
        return new Result(samples, failures);
    }
}

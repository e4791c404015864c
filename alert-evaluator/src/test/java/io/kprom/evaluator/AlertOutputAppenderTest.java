package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleResultAppender;
import io.kprom.promql.rules.RuleSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The evaluator writes only what alerting rules produce: the processor records the recording rules, and a second
 * writer of the same series (at another query offset) made the TSDB reject one of them as out of order.
 */
class AlertOutputAppenderTest {
    private record Written(Labels labels, long timestamp, double value) {
    }

    private static RuleGroupSpec spec() {
        return new RuleGroupSpec(Path.of("r.yml"), "g", Duration.ofSeconds(1), null, 0, Labels.EMPTY, List.of(
                new RuleSpec.Recording("job:up:sum", "sum by (job) (up)", Labels.EMPTY),
                new RuleSpec.Alerting("AllUp", "job:up:sum >= 2", Duration.ZERO, Duration.ZERO, Labels.EMPTY, Map.of())));
    }

    @Test
    void alertingRuleSeesTheRecordingResultButOnlyAlertSeriesAreWritten() {
        WindowStore window = new WindowStore(600_000);
        window.append(Labels.of("__name__", "up", "job", "node", "instance", "a"), 1_000, 1);
        window.append(Labels.of("__name__", "up", "job", "node", "instance", "b"), 1_000, 1);
        List<Written> written = new ArrayList<>();
        RuleResultAppender sink = (labels, timestamp, value) -> written.add(new Written(labels, timestamp, value));
        double skipped = EvaluatorMetrics.RECORDING_SAMPLES_SKIPPED.get();
        RuleGroup group = RuleGroup.builder(spec()).queryEngine(new PromqlEngine(), window, QueryOptions.defaults())
                .appender(new AlertOutputAppender(sink, spec())).build();

        group.evaluate(2_000);

        // The alert fired on job:up:sum = 2 from this evaluation (overlay), yet job:up:sum itself was not written.
        assertThat(written).extracting(w -> w.labels().metricName()).containsOnly("ALERTS", "ALERTS_FOR_STATE");
        assertThat(written).anyMatch(w -> w.labels().metricName().equals("ALERTS")
                && "firing".equals(w.labels().get("alertstate")) && w.timestamp() == 2_000);
        assertThat(EvaluatorMetrics.RECORDING_SAMPLES_SKIPPED.get()).isEqualTo(skipped + 1);
    }

    @Test
    void staleMarkersOfRecordingRulesAreNotWrittenEither() {
        WindowStore window = new WindowStore(600_000);
        window.append(Labels.of("__name__", "up", "job", "node", "instance", "a"), 1_000, 1);
        List<Written> written = new ArrayList<>();
        RuleGroup group = RuleGroup.builder(spec()).queryEngine(new PromqlEngine(), window, QueryOptions.defaults())
                .appender(new AlertOutputAppender((l, t, v) -> written.add(new Written(l, t, v)), spec())).build();
        group.evaluate(2_000);
        // up is gone 5 minutes later: the recording rule returns nothing and the engine marks job:up:sum stale.
        group.evaluate(2_000 + 400_000);
        assertThat(written).noneMatch(w -> w.labels().metricName().equals("job:up:sum"));
    }
}

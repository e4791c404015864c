package io.kprom.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleGroupTest {
    private static final long MINUTE = 60_000;
    private final List<Value.Sample> appended = new ArrayList<>();
    private final RuleResultAppender appender = (labels, t, v) -> appended.add(new Value.Sample(labels, t, v));
    private final List<List<Alert>> sent = new ArrayList<>();
    private final AlertNotifier notifier = (rule, alerts) -> sent.add(alerts);
    private final List<String> transitions = new ArrayList<>();
    private final AlertTransitionListener listener = (rule, alert, previous, removed) ->
            transitions.add(previous.apiName() + "->" + (alert.isResolved() ? "resolved" : alert.state().apiName())
                    + (removed ? "(removed)" : ""));

    private RuleGroup group(QueryFunction query, int limit, Duration offset, RuleSpec... rules) {
        RuleGroupSpec spec = new RuleGroupSpec(Path.of("f.yml"), "g", Duration.ofMinutes(1), offset, limit,
                Labels.EMPTY, List.of(rules));
        return RuleGroup.builder(spec).queryFunction(query).appender(appender).notifier(notifier)
                .transitions(listener).externalLabels(Labels.of("cluster", "eu1")).build();
    }

    @Test
    void recordingRuleRenamesSeriesAddsLabelsAndStampsAtQueryTime() {
        FakeQueries queries = new FakeQueries().answer("sum by (job) (up)", t -> List.of(
                new Value.Sample(Labels.of("job", "a"), t, 3), new Value.Sample(Labels.of("job", "b"), t, 1)));
        RuleGroup group = group(queries, 0, Duration.ofSeconds(30),
                new RuleSpec.Recording("job:up:sum", "sum by (job) (up)", Labels.of("tier", "1")));
        group.evaluate(10 * MINUTE);
        assertThat(queries.asked).containsExactly("sum by (job) (up)@" + (10 * MINUTE - 30_000));
        assertThat(appended).containsExactly(
                new Value.Sample(Labels.of("__name__", "job:up:sum", "job", "a", "tier", "1"), 10 * MINUTE - 30_000, 3),
                new Value.Sample(Labels.of("__name__", "job:up:sum", "job", "b", "tier", "1"), 10 * MINUTE - 30_000, 1));
        assertThat(group.rules().get(0).health()).isEqualTo(RuleHealth.OK);
    }

    @Test
    void seriesThatDisappearGetAStaleMarker() {
        FakeQueries queries = new FakeQueries().answer("x", t -> t < 2 * MINUTE
                ? List.of(new Value.Sample(Labels.of("job", "a"), t, 1), new Value.Sample(Labels.of("job", "b"), t, 2))
                : List.of(new Value.Sample(Labels.of("job", "a"), t, 1)));
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Recording("r", "x", Labels.EMPTY));
        group.evaluate(MINUTE);
        appended.clear();
        group.evaluate(2 * MINUTE);
        assertThat(appended).hasSize(2);
        Value.Sample stale = appended.get(1);
        assertThat(stale.labels()).isEqualTo(Labels.of("__name__", "r", "job", "b"));
        assertThat(RuleResultAppender.isStaleMarker(stale.value())).isTrue();
    }

    @Test
    void limitFailsTheRuleAndTheGroupGoesOn() {
        FakeQueries queries = new FakeQueries()
                .answer("many", t -> List.of(new Value.Sample(Labels.of("i", "1"), t, 1),
                        new Value.Sample(Labels.of("i", "2"), t, 1)))
                .answer("one", t -> List.of(new Value.Sample(Labels.EMPTY, t, 1)));
        RuleGroup group = group(queries, 1, Duration.ZERO, new RuleSpec.Recording("a", "many", Labels.EMPTY),
                new RuleSpec.Recording("b", "one", Labels.EMPTY));
        group.evaluate(MINUTE);
        assertThat(group.rules().get(0).health()).isEqualTo(RuleHealth.ERR);
        assertThat(group.rules().get(0).lastError()).isEqualTo("exceeded limit of 1 with 2 series");
        assertThat(group.rules().get(1).health()).isEqualTo(RuleHealth.OK);
        assertThat(appended).extracting(s -> s.labels().metricName()).containsExactly("b");
    }

    @Test
    void failingQueryMarksRuleUnhealthy() {
        RuleGroup group = group((expr, t) -> {
            throw new IllegalStateException("boom");
        }, 0, Duration.ZERO, new RuleSpec.Recording("a", "x", Labels.EMPTY));
        group.evaluate(MINUTE);
        assertThat(group.rules().get(0).health()).isEqualTo(RuleHealth.ERR);
        assertThat(group.rules().get(0).lastError()).isEqualTo("boom");
    }

    @Test
    void alertGoesPendingThenFiringThenResolvedAndIsForgottenAfterRetention() {
        // Active from minute 1 to minute 5 inclusive.
        FakeQueries queries = new FakeQueries().series("up == 0", Labels.of("__name__", "up", "job", "a"), 0,
                t -> t >= MINUTE && t <= 5 * MINUTE);
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Alerting("Down", "up == 0",
                Duration.ofMinutes(2), Duration.ZERO, Labels.of("severity", "page"),
                Map.of("summary", "{{ $labels.job }} down on {{ $externalLabels.cluster }}")));
        AlertingRule rule = group.alertingRules().get(0);
        Labels alertLabels = Labels.of("alertname", "Down", "job", "a", "severity", "page");

        group.evaluate(MINUTE);
        assertThat(rule.state()).isEqualTo(AlertState.PENDING);
        assertThat(appended).containsExactly(
                new Value.Sample(alertLabels.toBuilder().set("__name__", "ALERTS").set("alertstate", "pending").build(),
                        MINUTE, 1),
                new Value.Sample(alertLabels.toBuilder().set("__name__", "ALERTS_FOR_STATE").build(), MINUTE, 60));
        assertThat(sent.get(0)).isEmpty();

        group.evaluate(2 * MINUTE);
        assertThat(rule.state()).isEqualTo(AlertState.PENDING);
        group.evaluate(3 * MINUTE);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        Alert firing = sent.get(2).get(0);
        assertThat(firing.labels()).isEqualTo(alertLabels);
        assertThat(firing.annotations()).containsEntry("summary", "a down on eu1");
        assertThat(firing.activeAtMillis()).isEqualTo(MINUTE);
        assertThat(firing.firedAtMillis()).isEqualTo(3 * MINUTE);
        assertThat(firing.validUntilMillis()).isEqualTo(3 * MINUTE + 4 * MINUTE);

        // Resend delay 1m: lastSent + 1m < ts is false at minute 4, true at minute 5.
        group.evaluate(4 * MINUTE);
        assertThat(sent.get(3)).isEmpty();
        group.evaluate(5 * MINUTE);
        assertThat(sent.get(4)).hasSize(1);

        group.evaluate(6 * MINUTE);
        Alert resolved = sent.get(5).get(0);
        assertThat(resolved.isResolved()).isTrue();
        assertThat(resolved.resolvedAtMillis()).isEqualTo(6 * MINUTE);
        assertThat(rule.activeAlerts()).isEmpty();
        assertThat(rule.currentAlerts()).hasSize(1);

        // Re-sent while retained, forgotten once older than 15 minutes.
        group.evaluate(8 * MINUTE);
        assertThat(sent.get(6)).hasSize(1);
        group.evaluate(21 * MINUTE);
        assertThat(rule.currentAlerts()).hasSize(1);
        group.evaluate(22 * MINUTE);
        assertThat(rule.currentAlerts()).isEmpty();
        assertThat(transitions).containsExactly("inactive->pending", "pending->firing", "firing->resolved",
                "inactive->resolved(removed)");
    }

    @Test
    void pendingAlertThatDisappearsIsDroppedWithoutNotification() {
        FakeQueries queries = new FakeQueries().series("x", Labels.of("job", "a"), 1, t -> t == MINUTE);
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Alerting("A", "x", Duration.ofMinutes(5),
                Duration.ZERO, Labels.EMPTY, Map.of()));
        group.evaluate(MINUTE);
        group.evaluate(2 * MINUTE);
        assertThat(group.alertingRules().get(0).currentAlerts()).isEmpty();
        assertThat(sent).allMatch(List::isEmpty);
        assertThat(transitions).containsExactly("inactive->pending", "pending->inactive(removed)");
    }

    @Test
    void zeroForFiresOnFirstEvaluation() {
        FakeQueries queries = new FakeQueries().series("x", Labels.of("job", "a"), 1, t -> true);
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Alerting("A", "x", Duration.ZERO,
                Duration.ZERO, Labels.EMPTY, Map.of()));
        group.evaluate(MINUTE);
        assertThat(group.alertingRules().get(0).state()).isEqualTo(AlertState.FIRING);
        assertThat(sent.get(0)).hasSize(1);
    }

    @Test
    void keepFiringForHoldsAFiringAlert() {
        FakeQueries queries = new FakeQueries().series("x", Labels.of("job", "a"), 1, t -> t <= MINUTE);
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Alerting("A", "x", Duration.ZERO,
                Duration.ofMinutes(2), Labels.EMPTY, Map.of()));
        AlertingRule rule = group.alertingRules().get(0);
        group.evaluate(MINUTE);
        group.evaluate(2 * MINUTE);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        assertThat(rule.activeAlerts().get(0).keepFiringSinceMillis()).isEqualTo(2 * MINUTE);
        group.evaluate(3 * MINUTE);
        assertThat(rule.state()).isEqualTo(AlertState.FIRING);
        group.evaluate(4 * MINUTE);
        assertThat(rule.state()).isEqualTo(AlertState.INACTIVE);
        assertThat(rule.currentAlerts().get(0).resolvedAtMillis()).isEqualTo(4 * MINUTE);
    }

    @Test
    void alertLimitClearsAlertsAndFails() {
        FakeQueries queries = new FakeQueries().answer("x", t -> List.of(new Value.Sample(Labels.of("i", "1"), t, 1),
                new Value.Sample(Labels.of("i", "2"), t, 1)));
        RuleGroup group = group(queries, 1, Duration.ZERO, new RuleSpec.Alerting("A", "x", Duration.ZERO,
                Duration.ZERO, Labels.EMPTY, Map.of()));
        group.evaluate(MINUTE);
        AlertingRule rule = group.alertingRules().get(0);
        assertThat(rule.lastError()).isEqualTo("exceeded limit of 1 with 2 alerts");
        assertThat(rule.currentAlerts()).isEmpty();
    }

    @Test
    void duplicateLabelSetsAfterRuleLabelsAreAnError() {
        FakeQueries queries = new FakeQueries().answer("x", t -> List.of(
                new Value.Sample(Labels.of("__name__", "a"), t, 1), new Value.Sample(Labels.of("__name__", "b"), t, 1)));
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Recording("r", "x", Labels.EMPTY));
        group.evaluate(MINUTE);
        assertThat(group.rules().get(0).lastError())
                .isEqualTo("vector contains metrics with the same labelset after applying rule labels");
    }

    @Test
    void restoredPendingAlertFiresWhenItWouldHaveWithoutRestart() {
        FakeQueries queries = new FakeQueries().series("x", Labels.of("job", "a"), 1, t -> true);
        RuleSpec.Alerting spec = new RuleSpec.Alerting("A", "x", Duration.ofMinutes(2), Duration.ZERO, Labels.EMPTY,
                Map.of());
        RuleGroup before = group(queries, 0, Duration.ZERO, spec);
        before.evaluate(MINUTE);
        List<Alert> remembered = before.alertingRules().get(0).currentAlerts();

        RuleGroup after = group(queries, 0, Duration.ZERO, spec);
        after.alertingRules().get(0).restore(remembered);
        after.evaluate(2 * MINUTE);
        assertThat(after.alertingRules().get(0).state()).isEqualTo(AlertState.PENDING);
        after.evaluate(3 * MINUTE);
        Alert alert = after.alertingRules().get(0).activeAlerts().get(0);
        assertThat(alert.state()).isEqualTo(AlertState.FIRING);
        assertThat(alert.activeAtMillis()).isEqualTo(MINUTE);
        assertThat(alert.firedAtMillis()).isEqualTo(3 * MINUTE);
    }

    @Test
    void templateQueryFunctionRunsAtEvaluationTime() {
        FakeQueries queries = new FakeQueries().series("x", Labels.of("job", "a"), 0.25, t -> true)
                .answer("count(up)", t -> List.of(new Value.Sample(Labels.EMPTY, t, 7)));
        RuleGroup group = group(queries, 0, Duration.ZERO, new RuleSpec.Alerting("A", "x", Duration.ZERO,
                Duration.ZERO, Labels.of("team", "{{ toUpper $labels.job }}"),
                Map.of("d", "{{ humanizePercentage $value }} of {{ query \"count(up)\" | first | value }}")));
        group.evaluate(MINUTE);
        Alert alert = group.alertingRules().get(0).activeAlerts().get(0);
        assertThat(alert.labels().get("team")).isEqualTo("A");
        assertThat(alert.annotations()).containsEntry("d", "25% of 7");
    }
}

package io.kprom.promql.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.engine.Value;
import io.kprom.promql.storage.Queryable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A rule group at runtime: its rules in file order, evaluated one after the other at one
 * timestamp so later rules see what earlier rules of the same evaluation produced. It talks to
 * the outside only through {@link QueryFunction} (or a {@link QueryEngine} over a
 * {@link Queryable}), {@link RuleResultAppender}, {@link AlertNotifier} and
 * {@link AlertTransitionListener}.
 *
 * <pre>{@code
 * RuleGroup group = RuleGroup.builder(spec)
 *     .defaultInterval(Duration.ofSeconds(30))
 *     .queryEngine(engine, storage, QueryOptions.defaults())
 *     .appender(appender)
 *     .notifier(notifier)
 *     .build();
 * group.evaluate(group.alignedTimestamp(System.currentTimeMillis()));
 * }</pre>
 *
 * <p>Semantics follow Prometheus's {@code rules.Group.Eval}: a failing rule is marked unhealthy and
 * the group continues with the next rule; samples are appended and committed per rule; series a rule
 * produced in the previous evaluation but not in this one get a stale marker; {@code limit} fails a
 * rule whose result (or active alert count) exceeds it; alerts due for sending go to the notifier
 * after each alerting rule. {@link #evaluate} must not run concurrently with itself; the status
 * getters are thread-safe.
 */
public final class RuleGroup {
    /** Prometheus's default {@code resend_delay}. */
    public static final Duration DEFAULT_RESEND_DELAY = Duration.ofMinutes(1);

    private final RuleGroupSpec spec;
    private final List<Rule> rules;
    private final long intervalMillis;
    private final long queryOffsetMillis;
    private final QueryEngine engine;
    private final Queryable storage;
    private final QueryOptions options;
    private final QueryFunction queryFunction;
    private final RuleResultAppender appender;
    private final AlertNotifier notifier;
    private final AlertTransitionListener transitions;
    private final Labels externalLabels;
    private final String externalUrl;
    private final long resendDelayMillis;
    private final List<Set<Labels>> seriesInPreviousEvaluation;
    private volatile long lastEvaluationMillis;
    private volatile long lastEvaluationTimestampMillis;
    private volatile long evaluationDurationNanos;

    private RuleGroup(Builder builder) {
        this.spec = builder.spec;
        this.intervalMillis = builder.spec.intervalOr(builder.defaultInterval).toMillis();
        this.queryOffsetMillis = builder.spec.queryOffsetOr(builder.defaultQueryOffset).toMillis();
        this.engine = builder.engine;
        this.storage = builder.storage;
        this.options = builder.options;
        this.queryFunction = builder.queryFunction;
        this.appender = builder.appender;
        this.notifier = builder.notifier;
        this.transitions = builder.transitions;
        this.externalLabels = builder.externalLabels;
        this.externalUrl = builder.externalUrl;
        this.resendDelayMillis = builder.resendDelay.toMillis();
        List<Rule> built = new ArrayList<>();
        for (RuleSpec rule : spec.rules()) {
            built.add(rule instanceof RuleSpec.Alerting alerting ? new AlertingRule(alerting)
                    : new RecordingRule((RuleSpec.Recording) rule));
        }
        this.rules = List.copyOf(built);
        this.seriesInPreviousEvaluation = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            seriesInPreviousEvaluation.add(new HashSet<>());
        }
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("group \"" + spec.name() + "\": evaluation interval must be positive");
        }
    }

    public static Builder builder(RuleGroupSpec spec) {
        return new Builder(spec);
    }

    public RuleGroupSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /** The rule file the group came from, as given to the loader. */
    public String file() {
        return spec.file().toString();
    }

    public List<Rule> rules() {
        return rules;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public long queryOffsetMillis() {
        return queryOffsetMillis;
    }

    public int limit() {
        return spec.limit();
    }

    /** The evaluation timestamp for wall-clock time {@code nowMillis}: the last multiple of the interval. */
    public long alignedTimestamp(long nowMillis) {
        return nowMillis - Math.floorMod(nowMillis, intervalMillis);
    }

    /** Wall-clock start of the last evaluation in milliseconds, 0 before the first. */
    public long lastEvaluationMillis() {
        return lastEvaluationMillis;
    }

    /** The timestamp the last evaluation ran at, 0 before the first. */
    public long lastEvaluationTimestampMillis() {
        return lastEvaluationTimestampMillis;
    }

    public long evaluationDurationNanos() {
        return evaluationDurationNanos;
    }

    /** Runs every rule once at {@code timestampMillis}. Never throws for a failing rule. */
    public void evaluate(long timestampMillis) {
        long startMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        OverlayQueryable overlay = engine != null ? new OverlayQueryable(storage) : null;
        QueryFunction query = overlay != null ? QueryFunction.of(engine, overlay, options) : queryFunction;
        RuleEvaluation evaluation = new RuleEvaluation(timestampMillis, queryOffsetMillis, query, spec.limit(),
                externalLabels, externalUrl);
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            long ruleStartMillis = System.currentTimeMillis();
            long ruleStartNanos = System.nanoTime();
            List<Value.Sample> samples;
            try {
                samples = rule instanceof AlertingRule alerting ? alerting.evaluate(evaluation, transitions)
                        : rule.evaluate(evaluation);
            } catch (Exception e) {
                record(rule, RuleHealth.ERR, String.valueOf(e.getMessage()), ruleStartMillis, ruleStartNanos);
                continue;
            }
            record(rule, RuleHealth.OK, null, ruleStartMillis, ruleStartNanos);
            if (rule instanceof AlertingRule alerting) {
                alerting.sendAlerts(timestampMillis, resendDelayMillis, intervalMillis, notifier);
            }
            Set<Labels> returned = new HashSet<>(samples.size() * 2);
            for (Value.Sample sample : samples) {
                appender.append(sample.labels(), sample.timestampMillis(), sample.value());
                if (overlay != null) {
                    overlay.add(sample.labels(), sample.timestampMillis(), sample.value());
                }
                returned.add(sample.labels());
            }
            long staleTime = timestampMillis - queryOffsetMillis;
            for (Labels previous : seriesInPreviousEvaluation.get(i)) {
                if (!returned.contains(previous)) {
                    appender.append(previous, staleTime, RuleResultAppender.STALE_NAN);
                    if (overlay != null) {
                        overlay.add(previous, staleTime, RuleResultAppender.STALE_NAN);
                    }
                }
            }
            seriesInPreviousEvaluation.set(i, returned);
            appender.commit();
        }
        evaluationDurationNanos = System.nanoTime() - startNanos;
        lastEvaluationMillis = startMillis;
        lastEvaluationTimestampMillis = timestampMillis;
    }

    /**
     * Writes stale markers for every series the group's rules produced last time (Prometheus does
     * this when a group is removed or its rules change), then forgets them.
     */
    public void markAllStale(long timestampMillis) {
        long staleTime = timestampMillis - queryOffsetMillis;
        for (Set<Labels> series : seriesInPreviousEvaluation) {
            for (Labels labels : series) {
                appender.append(labels, staleTime, RuleResultAppender.STALE_NAN);
            }
            series.clear();
        }
        appender.commit();
    }

    /** Alerting rules of the group, in order. */
    public List<AlertingRule> alertingRules() {
        List<AlertingRule> alerting = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule instanceof AlertingRule a) {
                alerting.add(a);
            }
        }
        return alerting;
    }

    private static void record(Rule rule, RuleHealth health, String error, long startMillis, long startNanos) {
        long duration = System.nanoTime() - startNanos;
        if (rule instanceof AlertingRule alerting) {
            alerting.status.record(health, error, startMillis, duration);
        } else {
            ((RecordingRule) rule).status.record(health, error, startMillis, duration);
        }
    }

    /** Configures a {@link RuleGroup}; not thread-safe. */
    public static final class Builder {
        private final RuleGroupSpec spec;
        private Duration defaultInterval = Duration.ofMinutes(1);
        private Duration defaultQueryOffset = Duration.ZERO;
        private QueryEngine engine;
        private Queryable storage;
        private QueryOptions options = QueryOptions.defaults();
        private QueryFunction queryFunction;
        private RuleResultAppender appender = RuleResultAppender.DISCARD;
        private AlertNotifier notifier = AlertNotifier.NONE;
        private AlertTransitionListener transitions = AlertTransitionListener.NONE;
        private Labels externalLabels = Labels.EMPTY;
        private String externalUrl = "";
        private Duration resendDelay = DEFAULT_RESEND_DELAY;

        private Builder(RuleGroupSpec spec) {
            this.spec = Objects.requireNonNull(spec);
        }

        /** The global {@code evaluation_interval}, used when the group sets no {@code interval} (default 1m). */
        public Builder defaultInterval(Duration interval) {
            this.defaultInterval = interval;
            return this;
        }

        /** The global {@code rule_query_offset}, used when the group sets no {@code query_offset} (default 0). */
        public Builder defaultQueryOffset(Duration offset) {
            this.defaultQueryOffset = offset;
            return this;
        }

        /**
         * Queries through {@code engine} over {@code storage} overlaid with this evaluation's
         * results, so later rules see earlier rules' output.
         */
        public Builder queryEngine(QueryEngine engine, Queryable storage, QueryOptions options) {
            this.engine = Objects.requireNonNull(engine);
            this.storage = Objects.requireNonNull(storage);
            this.options = Objects.requireNonNull(options);
            this.queryFunction = null;
            return this;
        }

        /**
         * Queries through {@code query} as is; the caller's storage must make appended results
         * visible to later rules of the same evaluation (as Prometheus's TSDB does).
         */
        public Builder queryFunction(QueryFunction query) {
            this.queryFunction = Objects.requireNonNull(query);
            this.engine = null;
            this.storage = null;
            return this;
        }

        public Builder appender(RuleResultAppender appender) {
            this.appender = Objects.requireNonNull(appender);
            return this;
        }

        public Builder notifier(AlertNotifier notifier) {
            this.notifier = Objects.requireNonNull(notifier);
            return this;
        }

        public Builder transitions(AlertTransitionListener transitions) {
            this.transitions = Objects.requireNonNull(transitions);
            return this;
        }

        public Builder externalLabels(Labels externalLabels) {
            this.externalLabels = Objects.requireNonNull(externalLabels);
            return this;
        }

        public Builder externalUrl(String externalUrl) {
            this.externalUrl = externalUrl == null ? "" : externalUrl;
            return this;
        }

        /** Prometheus's {@code --rules.alert.resend-delay} (default 1m). */
        public Builder resendDelay(Duration resendDelay) {
            this.resendDelay = Objects.requireNonNull(resendDelay);
            return this;
        }

        public RuleGroup build() {
            if (engine == null && queryFunction == null) {
                throw new IllegalStateException("a rule group needs queryEngine(...) or queryFunction(...)");
            }
            return new RuleGroup(this);
        }
    }
}

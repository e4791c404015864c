package io.kprom.bench.rules;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.promql.rules.RuleGroupSpec;
import io.kprom.promql.rules.RuleResultAppender;
import io.kprom.promql.rules.RuleSpec;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Queryable;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One evaluation of a rule group of 100 rules (50 recording, 50 alerting with templates) over
 * 10 000 series ({@code http_requests_total} for 10 jobs x 1 000 instances, 30 minutes at 15 s),
 * through the real engine and the group's overlay storage, as the evaluator runs it.
 * Each rule selects one job's 1 000 series, so the group reads all 10 000 series in total.
 *
 * <p>{@code storage}: {@code in-memory} is promql's unindexed {@link InMemoryQuerier};
 * {@code window-store} is the evaluator's indexed {@code io.kprom.evaluator.WindowStore}, the storage
 * the evaluator really queries. bench does not depend on the alert-evaluator module, so the window
 * store is loaded by name: put {@code alert-evaluator/<target>/classes} on the class path, e.g.
 * <pre>
 * cp=bench/target-jmh/classes:alert-evaluator/target-jmh/classes:$(cat bench/target-jmh/jmh-classpath.txt)
 * java -cp "$cp" org.openjdk.jmh.Main rules.RuleGroupEvaluationBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RuleGroupEvaluationBenchmark {
    private static final int JOBS = 10;
    private static final int INSTANCES = 1000;
    private static final long STEP = 15_000;
    private static final long END = 30 * 60_000;

    @Param({"window-store", "in-memory"})
    public String storage;

    private RuleGroup group;
    private long evaluationTime;
    private final long[] appended = new long[1];

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        Store store = store(storage);
        for (int job = 0; job < JOBS; job++) {
            for (int instance = 0; instance < INSTANCES; instance++) {
                Labels labels = Labels.of("__name__", "http_requests_total", "job", "job" + job, "instance",
                        "host-" + instance + ":9100", "code", instance % 20 == 0 ? "500" : "200");
                double rate = 1 + instance % 7;
                for (long t = 0; t <= END; t += STEP) {
                    store.append(labels, t, rate * t / 1000.0);
                }
            }
        }
        List<RuleSpec> rules = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String job = "job" + (i % JOBS);
            rules.add(new RuleSpec.Recording("job:http_requests:rate5m_" + i,
                    "sum by (job, code) (rate(http_requests_total{job=\"" + job + "\"}[5m]))", Labels.EMPTY));
        }
        for (int i = 0; i < 50; i++) {
            String job = "job" + (i % JOBS);
            rules.add(new RuleSpec.Alerting("HighRate" + i,
                    "rate(http_requests_total{job=\"" + job + "\", code=\"500\"}[5m]) > 5", Duration.ofMinutes(5),
                    Duration.ZERO, Labels.of("severity", "page"),
                    Map.of("summary", "{{ $labels.instance }} at {{ humanize $value }} req/s")));
        }
        RuleGroupSpec spec = new RuleGroupSpec(Path.of("bench.yml"), "bench", Duration.ofSeconds(15), null, 0,
                Labels.EMPTY, rules);
        RuleResultAppender counting = (labels, t, v) -> appended[0]++;
        group = RuleGroup.builder(spec).queryEngine(new PromqlEngine(), store.queryable(), QueryOptions.defaults())
                .appender(counting).build();
        evaluationTime = END;
    }

    @Benchmark
    public void evaluate100RulesOver10000Series(Blackhole blackhole) {
        group.evaluate(evaluationTime);
        blackhole.consume(appended[0]);
    }

    /** Where the benchmark's series live, behind the two operations it needs. */
    private interface Store {
        void append(Labels labels, long timestampMillis, double value) throws Throwable;

        Queryable queryable();
    }

    private static Store store(String kind) throws Throwable {
        if (kind.equals("in-memory")) {
            InMemoryQuerier querier = new InMemoryQuerier();
            return new Store() {
                @Override
                public void append(Labels labels, long timestampMillis, double value) {
                    querier.append(labels, timestampMillis, value);
                }

                @Override
                public Queryable queryable() {
                    return (min, max) -> querier;
                }
            };
        }
        Class<?> type;
        try {
            type = Class.forName("io.kprom.evaluator.WindowStore");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("storage=window-store needs alert-evaluator's classes on the class path"
                    + " (see this class's Javadoc), or run with -p storage=in-memory", e);
        }
        // Retention longer than the 30 minutes of data, so nothing is evicted.
        Queryable window = (Queryable) type.getConstructor(long.class).newInstance(END + 3_600_000L);
        MethodHandle append = MethodHandles.publicLookup().findVirtual(type, "append",
                MethodType.methodType(boolean.class, Labels.class, long.class, double.class)).bindTo(window);
        return new Store() {
            @Override
            public void append(Labels labels, long timestampMillis, double value) throws Throwable {
                boolean appended = (boolean) append.invoke(labels, timestampMillis, value);
                if (!appended) {
                    throw new IllegalStateException("window store rejected a sample of " + labels);
                }
            }

            @Override
            public Queryable queryable() {
                return window;
            }
        };
    }
}

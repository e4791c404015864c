package io.kprom.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import io.kprom.promql.storage.Querier;
import io.kprom.promql.storage.Queryable;
import io.kprom.promql.storage.SelectHints;
import io.kprom.promql.storage.SeriesSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Engine API behaviour that promqltest scripts cannot express: limits, cancellation, result shapes, bounds. */
class PromqlEngineTest {
    private final PromqlEngine engine = new PromqlEngine();

    private static InMemoryQuerier counters(int seriesCount, int samples) {
        InMemoryQuerier storage = new InMemoryQuerier();
        for (int s = 0; s < seriesCount; s++) {
            Labels labels = Labels.of("__name__", "c_total", "i", Integer.toString(s));
            for (int i = 0; i < samples; i++) {
                storage.append(labels, i * 15_000L, i * 10.0);
            }
        }
        return storage;
    }

    @Test
    void maxSamplesFailsWithPrometheusMessage() {
        InMemoryQuerier storage = counters(10, 100);
        assertThatThrownBy(() -> engine.rangeQuery((min, max) -> storage, "c_total", 0, 1_500_000, 15_000,
                QueryOptions.defaults().withMaxSamples(50)))
                .isInstanceOf(QueryException.class)
                .hasMessage("query processing would load too many samples into memory in query execution")
                .extracting(e -> ((QueryException) e).type()).isEqualTo(QueryException.ErrorType.EXECUTION);
        assertThat(engine.instantQuery((min, max) -> storage, "sum(c_total)", 60_000,
                QueryOptions.defaults().withMaxSamples(50)).value()).isInstanceOf(Value.VectorValue.class);
    }

    @Test
    void timeoutFailsWithPrometheusMessage() {
        InMemoryQuerier storage = counters(1, 10);
        assertThatThrownBy(() -> engine.instantQuery((min, max) -> storage, "c_total", 0,
                QueryOptions.defaults().withTimeout(Duration.ZERO)))
                .isInstanceOf(QueryException.class)
                .hasMessage("query timed out in expression evaluation")
                .extracting(e -> ((QueryException) e).type()).isEqualTo(QueryException.ErrorType.TIMEOUT);
    }

    @Test
    void interruptingTheQueryThreadCancelsPromptly() throws Exception {
        CountDownLatch selecting = new CountDownLatch(1);
        InMemoryQuerier data = counters(50, 2000);
        // A querier that keeps producing series until the query notices the interrupt.
        Queryable endless = (min, max) -> new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, List<LabelMatcher> matchers) {
                selecting.countDown();
                SeriesSet inner = data.select(sorted, hints, matchers);
                return new SeriesSet() {
                    private int produced;

                    @Override
                    public boolean next() {
                        produced++;
                        if (!inner.next()) {
                            inner.close();
                        }
                        return produced < Integer.MAX_VALUE;
                    }

                    @Override
                    public Labels labels() {
                        return Labels.of("__name__", "c_total", "n", Integer.toString(produced));
                    }

                    @Override
                    public io.kprom.promql.storage.SampleArrays samples() {
                        return data.series().values().iterator().next();
                    }
                };
            }

            @Override
            public List<String> labelValues(String name, List<LabelMatcher> matchers) {
                return List.of();
            }

            @Override
            public List<String> labelNames(List<LabelMatcher> matchers) {
                return List.of();
            }
        };
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread query = new Thread(() -> {
            try {
                engine.rangeQuery(endless, "sum(rate(c_total[5m]))", 0, 30_000_000, 15_000,
                        QueryOptions.defaults().withMaxSamples(Long.MAX_VALUE));
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        query.start();
        assertThat(selecting.await(30, TimeUnit.SECONDS)).isTrue();
        query.interrupt();
        query.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(query.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(QueryException.class)
                .hasMessage("query was canceled in expression evaluation");
        assertThat(((QueryException) failure.get()).type()).isEqualTo(QueryException.ErrorType.CANCELED);
    }

    @Test
    void parseErrorsAreBadData() {
        assertThatThrownBy(() -> engine.instantQuery((min, max) -> new InMemoryQuerier(), "sum(", 0,
                QueryOptions.defaults()))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("1:5: parse error")
                .extracting(e -> ((QueryException) e).type()).isEqualTo(QueryException.ErrorType.BAD_DATA);
    }

    @Test
    void rangeQueryRejectsRangeVectorsAndStrings() {
        Queryable storage = (min, max) -> counters(1, 10);
        assertThatThrownBy(() -> engine.rangeQuery(storage, "c_total[5m]", 0, 60_000, 15_000, QueryOptions.defaults()))
                .hasMessage("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector");
        assertThatThrownBy(() -> engine.rangeQuery(storage, "\"x\"", 0, 60_000, 15_000, QueryOptions.defaults()))
                .hasMessage("invalid expression type \"string\" for range query, must be Scalar or instant Vector");
        assertThatThrownBy(() -> engine.rangeQuery(storage, "c_total", 0, 60_000, 0, QueryOptions.defaults()))
                .isInstanceOf(QueryException.class);
    }

    @Test
    void instantResultShapes() {
        Queryable storage = (min, max) -> counters(2, 10);
        Value scalar = engine.instantQuery(storage, "1 + 1", 30_000, QueryOptions.defaults()).value();
        assertThat(scalar).isEqualTo(new Value.ScalarValue(30_000, 2));
        Value string = engine.instantQuery(storage, "\"hello\"", 30_000, QueryOptions.defaults()).value();
        assertThat(string).isEqualTo(new Value.StringValue(30_000, "hello"));
        Value.VectorValue vector = (Value.VectorValue) engine.instantQuery(storage, "c_total", 30_000,
                QueryOptions.defaults()).value();
        assertThat(vector.samples()).extracting(Value.Sample::timestampMillis).containsOnly(30_000L);
        assertThat(vector.samples()).extracting(Value.Sample::value).containsOnly(20.0);
        Value.MatrixValue matrix = (Value.MatrixValue) engine.instantQuery(storage, "c_total[30s]", 30_000,
                QueryOptions.defaults()).value();
        assertThat(matrix.series()).hasSize(2);
        assertThat(matrix.series().get(0).timestamps()).containsExactly(15_000L, 30_000L);
    }

    @Test
    void rangeResultsAreSortedSeriesWithStepTimestamps() {
        Queryable storage = (min, max) -> counters(3, 10);
        Value.MatrixValue matrix = (Value.MatrixValue) engine.rangeQuery(storage, "c_total * 2", 0, 60_000, 30_000,
                QueryOptions.defaults()).value();
        assertThat(matrix.series()).extracting(s -> s.labels().get("i")).containsExactly("0", "1", "2");
        assertThat(matrix.series().get(0).timestamps()).containsExactly(0L, 30_000L, 60_000L);
        assertThat(matrix.series().get(0).values()).containsExactly(0, 40, 80);
        Value.MatrixValue scalar = (Value.MatrixValue) engine.rangeQuery(storage, "time()", 0, 60_000, 30_000,
                QueryOptions.defaults()).value();
        assertThat(scalar.series().get(0).labels()).isEqualTo(Labels.EMPTY);
        assertThat(scalar.series().get(0).values()).containsExactly(0, 30, 60);
    }

    @Test
    void querierIsBoundedToTheDataTheQueryReads() {
        List<long[]> opened = new ArrayList<>();
        InMemoryQuerier data = counters(1, 10);
        Queryable recording = (min, max) -> {
            opened.add(new long[] {min, max});
            return data;
        };
        engine.instantQuery(recording, "rate(c_total[5m] offset 1m) + c_total @ 100", 1_000_000, QueryOptions.defaults());
        assertThat(opened).hasSize(1);
        // The @ 100 selector looks back 5m from 100 s.
        assertThat(opened.get(0)[0]).isEqualTo(100_000 - 300_000);
        assertThat(opened.get(0)[1]).isEqualTo(1_000_000 - 60_000);
        engine.instantQuery(recording, "max_over_time(c_total[10m:1m] offset 2m)", 1_000_000, QueryOptions.defaults());
        assertThat(opened.get(1)[0]).isEqualTo(1_000_000 - 120_000 - 600_000 - 300_000);
        assertThat(opened.get(1)[1]).isEqualTo(1_000_000 - 120_000);
    }

    @Test
    void lookbackDeltaIsPerQuery() {
        Queryable storage = (min, max) -> counters(1, 2);
        QueryOptions shortLookback = QueryOptions.defaults().withLookbackDelta(Duration.ofSeconds(30));
        assertThat(((Value.VectorValue) engine.instantQuery(storage, "c_total", 60_000, QueryOptions.defaults())
                .value()).samples()).hasSize(1);
        assertThat(((Value.VectorValue) engine.instantQuery(storage, "c_total", 60_000, shortLookback).value())
                .samples()).isEmpty();
    }

    @Test
    void defaultSubqueryStepIsConfigurable() {
        Queryable storage = (min, max) -> counters(1, 100);
        PromqlEngine coarse = PromqlEngine.builder().defaultSubqueryStep(Duration.ofMinutes(5)).build();
        Value.VectorValue value = (Value.VectorValue) coarse.instantQuery(storage, "count_over_time(c_total[10m:])",
                1_200_000, QueryOptions.defaults()).value();
        assertThat(value.samples().get(0).value()).isEqualTo(2);
    }

    @Test
    void oneEngineServesConcurrentQueries() throws Exception {
        InMemoryQuerier storage = counters(100, 200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<QueryResult>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> engine.rangeQuery((min, max) -> storage, "sum(rate(c_total[5m]))",
                        600_000, 2_400_000, 60_000, QueryOptions.defaults())));
            }
            Value first = results.get(0).get().value();
            for (Future<QueryResult> result : results) {
                Value.SeriesValue series = ((Value.MatrixValue) result.get().value()).series().get(0);
                assertThat(series.values()).containsExactly(
                        ((Value.MatrixValue) first).series().get(0).values());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void annotationsCarryPositions() {
        Queryable storage = (min, max) -> {
            InMemoryQuerier q = new InMemoryQuerier();
            for (int i = 0; i < 10; i++) {
                q.append(Labels.of("__name__", "temperature"), i * 15_000L, i);
            }
            return q;
        };
        QueryResult result = engine.instantQuery(storage, "sum(\n  rate(temperature[5m]))", 150_000,
                QueryOptions.defaults());
        assertThat(result.infos()).containsExactly("PromQL info: metric might not be a counter, name does not end in "
                + "_total/_sum/_count/_bucket: \"temperature\" (2:8)");
        assertThat(result.warnings()).isEmpty();
    }
}

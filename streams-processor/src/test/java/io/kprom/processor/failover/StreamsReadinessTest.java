package io.kprom.processor.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.processor.kafka.StreamsReadiness;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StreamsReadinessTest {
    private static final Duration GRACE = Duration.ofSeconds(60);

    /** A state history (each state entered at the given second) and readiness at the end. */
    static Stream<Arguments> histories() {
        return Stream.of(
                Arguments.of("created", List.of(), 0, false),
                Arguments.of("first rebalance: joining and restoring", List.of(step(State.REBALANCING, 0)), 1, false),
                Arguments.of("running", List.of(step(State.REBALANCING, 0), step(State.RUNNING, 5)), 6, true),
                Arguments.of("short rebalance after running",
                        List.of(step(State.REBALANCING, 0), step(State.RUNNING, 5), step(State.REBALANCING, 100)), 159, true),
                Arguments.of("rebalance longer than the grace",
                        List.of(step(State.REBALANCING, 0), step(State.RUNNING, 5), step(State.REBALANCING, 100)), 160, false),
                Arguments.of("running again after a long rebalance",
                        List.of(step(State.RUNNING, 5), step(State.REBALANCING, 100), step(State.RUNNING, 400)), 401, true),
                Arguments.of("error", List.of(step(State.RUNNING, 5), step(State.ERROR, 10)), 11, false),
                Arguments.of("shutting down", List.of(step(State.RUNNING, 5), step(State.PENDING_SHUTDOWN, 10)), 11, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void readinessFollowsTheStreamsState(String name, List<Step> steps, int nowSeconds, boolean ready) {
        AtomicLong clock = new AtomicLong();
        StreamsReadiness readiness = new StreamsReadiness(GRACE, clock::get);
        for (Step step : steps) {
            clock.set(step.second() * 1000L);
            readiness.onStateChange(step.state());
        }
        clock.set(nowSeconds * 1000L);
        assertThat(readiness.ready()).as(readiness.describe()).isEqualTo(ready);
    }

    @Test
    void aRepeatedStateDoesNotRestartTheGrace() {
        AtomicLong clock = new AtomicLong();
        StreamsReadiness readiness = new StreamsReadiness(GRACE, clock::get);
        readiness.onStateChange(State.RUNNING);
        readiness.onStateChange(State.REBALANCING);
        clock.set(50_000);
        readiness.onStateChange(State.REBALANCING);
        clock.set(61_000);
        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.describe()).contains("REBALANCING for 61000 ms");
    }

    private record Step(State state, int second) {
    }

    private static Step step(State state, int second) {
        return new Step(state, second);
    }
}

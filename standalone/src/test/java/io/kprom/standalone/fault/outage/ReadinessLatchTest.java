package io.kprom.standalone.fault.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.sink.ReadinessLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sink's readiness across start-up, bursts, a stuck consumer and a broker outage. */
class ReadinessLatchTest {
    static Stream<Arguments> firstAnswer() {
        // name, caught up, stuck, broker reachable, expected readiness on the first check
        return Stream.of(
                Arguments.of("caught up and reachable", true, false, true, true),
                Arguments.of("still catching up", false, false, true, false),
                Arguments.of("caught up but broker unreachable", true, false, false, false),
                Arguments.of("caught up but stuck", true, true, true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstAnswer")
    void firstAnswer(String name, boolean caughtUp, boolean stuck, boolean reachable, boolean expected) {
        assertThat(new ReadinessLatch(() -> caughtUp, () -> stuck, () -> reachable).ready()).isEqualTo(expected);
    }

    @Test
    void brokerOutageTurnsReadinessOffAndItsEndTurnsItBackOnDespiteTheBacklog() {
        AtomicBoolean caughtUp = new AtomicBoolean(true);
        AtomicBoolean reachable = new AtomicBoolean(true);
        ReadinessLatch latch = new ReadinessLatch(caughtUp::get, () -> false, reachable::get);
        assertThat(latch.ready()).isTrue();

        reachable.set(false);
        assertThat(latch.ready()).as("during the outage").isFalse();

        reachable.set(true);
        caughtUp.set(false); // the outage's backlog is still being ingested
        assertThat(latch.ready()).as("after the outage, behind but progressing").isTrue();
    }

    @Test
    void withoutABrokerCheckOnlyIngestionCounts() {
        AtomicBoolean stuck = new AtomicBoolean(false);
        ReadinessLatch latch = new ReadinessLatch(() -> true, stuck::get);
        assertThat(latch.ready()).isTrue();
        stuck.set(true);
        assertThat(latch.ready()).isFalse();
    }
}

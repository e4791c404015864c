package io.kprom.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessLatchTest {
    @Test
    void readyAfterFirstCatchUpUntilStuck() {
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        AtomicBoolean stuck = new AtomicBoolean(false);
        ReadinessLatch latch = new ReadinessLatch(caughtUp::get, stuck::get);
        assertThat(latch.ready()).as("still replaying").isFalse();
        caughtUp.set(true);
        assertThat(latch.ready()).isTrue();
        caughtUp.set(false);
        assertThat(latch.ready()).as("a burst of lag after start keeps serving").isTrue();
        stuck.set(true);
        assertThat(latch.ready()).as("stuck consumer").isFalse();
        stuck.set(false);
        assertThat(latch.ready()).isTrue();
    }
}

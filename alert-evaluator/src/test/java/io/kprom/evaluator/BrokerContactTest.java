package io.kprom.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BrokerContactTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void unreachableAfterTheThresholdWithoutAnswerAndReachableAgainAtTheNextAnswer() {
        AtomicLong now = new AtomicLong(42 * SECOND);
        BrokerContact contact = new BrokerContact(Duration.ofSeconds(5), now::get);
        // Grace period after start: no request has had time to be answered yet.
        now.addAndGet(4 * SECOND);
        assertThat(contact.reachable()).isTrue();
        now.addAndGet(SECOND);
        assertThat(contact.reachable()).isFalse();
        now.addAndGet(60 * SECOND);
        assertThat(contact.reachable()).isFalse();
        contact.answered();
        assertThat(contact.reachable()).isTrue();
        now.addAndGet(4 * SECOND);
        contact.answered();
        now.addAndGet(4 * SECOND);
        assertThat(contact.reachable()).isTrue();
    }
}

package io.kprom.evaluator;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a Kafka broker last answered this evaluator, and whether that is recent enough to call the
 * broker reachable (for {@code ready()}). Counts as reachable for {@code unreachableAfter} after
 * creation, so a starting evaluator is not reported down before its first request. Thread-safe.
 */
final class BrokerContact {
    private final LongSupplier nanoClock;
    private final long unreachableAfterNanos;
    private volatile long lastAnswerNanos;

    /** @param nanoClock monotonic nanoseconds ({@code System::nanoTime}; tests pass their own) */
    BrokerContact(Duration unreachableAfter, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.unreachableAfterNanos = unreachableAfter.toNanos();
        this.lastAnswerNanos = nanoClock.getAsLong();
    }

    /** A broker answered a request just now. */
    void answered() {
        lastAnswerNanos = nanoClock.getAsLong();
    }

    /** False once no broker has answered for {@code unreachableAfter}; true again at the next answer. */
    boolean reachable() {
        return nanoClock.getAsLong() - lastAnswerNanos < unreachableAfterNanos;
    }
}

package io.kprom.processor.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Whether a Kafka Streams application's state lets it make progress, for a readiness endpoint.
 * Not ready before the first {@code RUNNING} (joining the group and restoring state); afterwards
 * {@code RUNNING} is ready, {@code REBALANCING} stays ready for {@code grace} (a normal rebalance or
 * a fail-over to this instance should not flap readiness, a rebalance that never ends should not
 * hide), and every other state ({@code PENDING_SHUTDOWN}, {@code ERROR}, ...) is not ready.
 *
 * <p>Kafka Streams stays {@code RUNNING} while the broker is unreachable (its clients just retry),
 * so callers combine this with a broker probe ({@code io.kprom.common.kafka.KafkaReachability}).
 *
 * <p>Thread-safe: the state listener and readers run on different threads.
 */
public final class StreamsReadiness {
    private final long graceMillis;
    private final LongSupplier clock;
    private KafkaStreams.State state = KafkaStreams.State.CREATED;
    private long stateSinceMillis;
    private boolean runningOnce;

    /**
     * @param grace how long {@code REBALANCING} still counts as ready
     * @param clock milliseconds (wall clock in production, a fake clock in tests)
     */
    public StreamsReadiness(Duration grace, LongSupplier clock) {
        this.graceMillis = Objects.requireNonNull(grace, "grace").toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stateSinceMillis = clock.getAsLong();
    }

    /** Records a Streams state transition (call from {@link KafkaStreams#setStateListener}). */
    public synchronized void onStateChange(KafkaStreams.State newState) {
        if (newState != state) {
            state = newState;
            stateSinceMillis = clock.getAsLong();
        }
        if (newState == KafkaStreams.State.RUNNING) {
            runningOnce = true;
        }
    }

    public synchronized boolean ready() {
        if (!runningOnce) {
            return false;
        }
        return switch (state) {
            case RUNNING -> true;
            case REBALANCING -> clock.getAsLong() - stateSinceMillis < graceMillis;
            default -> false;
        };
    }

    /** Why {@link #ready()} is what it is, for logs and the readiness endpoint. */
    public synchronized String describe() {
        return "state " + state + " for " + (clock.getAsLong() - stateSinceMillis) + " ms"
                + (runningOnce ? "" : ", not yet RUNNING");
    }
}

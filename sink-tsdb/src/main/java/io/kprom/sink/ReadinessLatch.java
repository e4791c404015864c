package io.kprom.sink;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Readiness of the sink for {@code /-/ready}: not ready until ingestion first caught up (lag below
 * the threshold), then ready for as long as ingestion is not stuck and the Kafka cluster is
 * reachable. Falling behind after startup (a burst, or the backlog after a broker outage) keeps the
 * sink ready — its data is still served — but a stuck consumer or an unreachable broker does not:
 * with no broker, no new sample can arrive. The "caught up once" mark survives outages, so after the
 * broker returns the sink is ready again at once. Thread-safe.
 */
public final class ReadinessLatch {
    private final BooleanSupplier caughtUp;
    private final BooleanSupplier stuck;
    private final BooleanSupplier brokerReachable;
    private volatile boolean reachedOnce;

    /** Without a broker check (the caller composes one, as {@code kprom}'s runner does). */
    public ReadinessLatch(BooleanSupplier caughtUp, BooleanSupplier stuck) {
        this(caughtUp, stuck, () -> true);
    }

    /**
     * @param brokerReachable whether the Kafka cluster answers, e.g. {@code io.kprom.common.kafka.KafkaReachability::reachable};
     *     must not block
     */
    public ReadinessLatch(BooleanSupplier caughtUp, BooleanSupplier stuck, BooleanSupplier brokerReachable) {
        this.caughtUp = Objects.requireNonNull(caughtUp, "caughtUp");
        this.stuck = Objects.requireNonNull(stuck, "stuck");
        this.brokerReachable = Objects.requireNonNull(brokerReachable, "brokerReachable");
    }

    public boolean ready() {
        if (!brokerReachable.getAsBoolean()) {
            return false;
        }
        if (!reachedOnce) {
            if (!caughtUp.getAsBoolean()) {
                return false;
            }
            reachedOnce = true;
        }
        return !stuck.getAsBoolean();
    }
}

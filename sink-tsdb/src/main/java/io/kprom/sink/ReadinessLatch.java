package io.kprom.sink;

import java.util.function.BooleanSupplier;

/**
 * Readiness of the sink for {@code /-/ready}: not ready until ingestion first caught up (lag below
 * the threshold), then ready for as long as ingestion is not stuck. Falling behind after startup
 * (a burst) keeps the sink ready — its data is still served — but a stuck consumer does not.
 * Thread-safe.
 */
public final class ReadinessLatch {
    private final BooleanSupplier caughtUp;
    private final BooleanSupplier stuck;
    private volatile boolean reachedOnce;

    public ReadinessLatch(BooleanSupplier caughtUp, BooleanSupplier stuck) {
        this.caughtUp = caughtUp;
        this.stuck = stuck;
    }

    public boolean ready() {
        if (!reachedOnce) {
            if (!caughtUp.getAsBoolean()) {
                return false;
            }
            reachedOnce = true;
        }
        return !stuck.getAsBoolean();
    }
}

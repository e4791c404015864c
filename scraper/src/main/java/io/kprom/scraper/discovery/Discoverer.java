package io.kprom.scraper.discovery;

import io.kprom.common.config.TargetGroup;
import java.util.List;

/**
 * One service-discovery mechanism (static, file, Kubernetes, ...).
 *
 * <p>Contract, as Prometheus's: {@link #run} first sends the full set of target groups it knows,
 * then sends updates (changed groups; a group whose targets vanished is sent with an empty target
 * list and the same {@link TargetGroup#source()}). It returns when its thread is interrupted
 * (cancellation) and releases everything it opened. Called once, on a thread of its own.
 */
public interface Discoverer {

    /** Receives groups from a discoverer; must be thread-safe and must not block for long. */
    @FunctionalInterface
    interface Sink {
        void accept(List<TargetGroup> groups);
    }

    void run(Sink sink) throws InterruptedException;
}

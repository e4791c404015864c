package io.kprom.scraper.discovery;

import io.kprom.common.config.TargetGroup;
import java.util.List;

/** {@code static_configs}: sends its groups once and waits to be cancelled. */
public final class StaticDiscoverer implements Discoverer {
    private final List<TargetGroup> groups;

    public StaticDiscoverer(List<TargetGroup> groups) {
        this.groups = List.copyOf(groups);
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        sink.accept(groups);
        Object never = new Object();
        synchronized (never) {
            while (true) {
                never.wait();
            }
        }
    }
}

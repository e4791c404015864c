package io.kprom.scraper.scrape;

import io.kprom.common.config.ScrapeConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.scraper.parse.ExpositionFormat;
import io.kprom.scraper.target.Target;
import io.kprom.scraper.target.TargetBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The targets of one scrape config (job) and their loops. {@link #sync} turns the job's current target
 * groups into targets: new targets get a loop, vanished ones are stopped and announced as
 * {@code TARGET_REMOVED}, unchanged ones keep their loop. {@link #reload} applies a new config to the
 * same groups. Thread-safe (all mutators synchronized).
 */
public final class ScrapePool {
    private final String job;
    private final HttpClients clients;
    private final BatchPublisher publisher;
    private final ShardOwnership shards;
    private final ScheduledExecutorService scheduler;
    private final Executor workers;
    private final String userAgent;
    private volatile ScrapeConfig config;
    private volatile HttpTargetScraper scraper;
    private volatile String targetLimitError;
    private final Map<String, ScrapeLoop> loops = new LinkedHashMap<>();
    private List<TargetBuilder.Result> dropped = List.of();
    private Collection<TargetGroup> groups = List.of();

    public ScrapePool(ScrapeConfig config, HttpClients clients, BatchPublisher publisher, ShardOwnership shards,
            ScheduledExecutorService scheduler, Executor workers) throws IOException {
        this(config, clients, publisher, shards, scheduler, workers, HttpTargetScraper.USER_AGENT);
    }

    /** With the User-Agent this replica sends (identifies the replica in target logs). */
    public ScrapePool(ScrapeConfig config, HttpClients clients, BatchPublisher publisher, ShardOwnership shards,
            ScheduledExecutorService scheduler, Executor workers, String userAgent) throws IOException {
        this.userAgent = userAgent;
        this.job = config.jobName();
        this.clients = clients;
        this.publisher = publisher;
        this.shards = shards;
        this.scheduler = scheduler;
        this.workers = workers;
        this.config = config;
        this.scraper = new HttpTargetScraper(clients.forConfig(config.httpClientConfig()), config, userAgent);
    }

    public String job() {
        return job;
    }

    public ScrapeConfig config() {
        return config;
    }

    /** Applies the job's current groups (all of them, keyed by source). */
    public synchronized void sync(Collection<TargetGroup> currentGroups) {
        this.groups = List.copyOf(currentGroups);
        ScraperMetrics.SYNCS.labelValues(job).inc();
        Map<String, Target> wanted = new LinkedHashMap<>();
        List<TargetBuilder.Result> droppedNow = new ArrayList<>();
        for (TargetGroup group : groups) {
            for (TargetBuilder.Result result : TargetBuilder.fromGroup(config, group)) {
                if (result.dropped()) {
                    droppedNow.add(result);
                } else {
                    wanted.putIfAbsent(result.target().identity(), result.target());
                }
            }
        }
        dropped = List.copyOf(droppedNow);
        long limit = config.targetLimit();
        targetLimitError = limit > 0 && wanted.size() > limit
                ? "target_limit exceeded (number of targets: " + wanted.size() + ", limit: " + limit + ")" : null;
        for (var it = loops.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, ScrapeLoop> entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                entry.getValue().stop();
                entry.getValue().publishRemoved();
                it.remove();
            }
        }
        ExpositionFormat fallback = config.fallbackScrapeProtocol() == null ? null
                : ExpositionFormat.forProtocol(config.fallbackScrapeProtocol());
        for (Map.Entry<String, Target> entry : wanted.entrySet()) {
            if (!loops.containsKey(entry.getKey())) {
                ScrapeLoop loop = new ScrapeLoop(entry.getValue(), () -> scraper, fallback, publisher, shards,
                        () -> targetLimitError);
                loops.put(entry.getKey(), loop);
                loop.start(scheduler, workers);
            }
        }
        ScraperMetrics.ACTIVE_TARGETS.labelValues(job).set(loops.size());
        ScraperMetrics.DROPPED_TARGETS.labelValues(job).set(dropped.size());
    }

    /**
     * Applies a changed config: loops restart with it (a scrape in flight finishes under the old one),
     * targets that relabeling now drops are announced as removed.
     */
    public synchronized void reload(ScrapeConfig newConfig) throws IOException {
        HttpTargetScraper newScraper = new HttpTargetScraper(clients.forConfig(newConfig.httpClientConfig()), newConfig, userAgent);
        this.config = newConfig;
        this.scraper = newScraper;
        for (ScrapeLoop loop : loops.values()) {
            loop.stop();
        }
        Map<String, ScrapeLoop> old = new LinkedHashMap<>(loops);
        loops.clear();
        sync(groups);
        for (Map.Entry<String, ScrapeLoop> entry : old.entrySet()) {
            if (!loops.containsKey(entry.getKey())) {
                entry.getValue().publishRemoved();
            }
        }
    }

    /** Stops every loop; with {@code announce}, owned targets are published as removed. */
    public synchronized void stop(boolean announce) {
        for (ScrapeLoop loop : loops.values()) {
            loop.stop();
            if (announce) {
                loop.publishRemoved();
            }
        }
        loops.clear();
        ScraperMetrics.ACTIVE_TARGETS.labelValues(job).set(0);
        ScraperMetrics.OWNED_TARGETS.labelValues(job).set(0);
    }

    public synchronized List<ScrapeLoop> activeLoops() {
        int owned = 0;
        for (ScrapeLoop loop : loops.values()) {
            if (loop.owned()) {
                owned++;
            }
        }
        ScraperMetrics.OWNED_TARGETS.labelValues(job).set(owned);
        return List.copyOf(loops.values());
    }

    public synchronized List<TargetBuilder.Result> droppedTargets() {
        return dropped;
    }
}

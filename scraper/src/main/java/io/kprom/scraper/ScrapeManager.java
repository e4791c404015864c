package io.kprom.scraper;

import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.config.ScrapeConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.scraper.discovery.DiscovererFactory;
import io.kprom.scraper.scrape.BatchPublisher;
import io.kprom.scraper.scrape.HttpClients;
import io.kprom.scraper.scrape.ScrapePool;
import io.kprom.scraper.scrape.ScraperMetrics;
import io.kprom.scraper.scrape.ShardOwnership;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs discovery and scrape pools for the scrape configs of a {@link PrometheusConfig}. Each job has
 * its discoverers (one thread each) feeding a group map keyed by group source; changes are applied to
 * the job's {@link ScrapePool} after a short debounce, as Prometheus's discovery manager does.
 * {@link #apply} reconciles with a new config: new jobs start, removed jobs stop (their owned targets are
 * announced as removed), changed jobs reload their pool and restart discovery only when discovery
 * settings changed. Thread-safe.
 */
public final class ScrapeManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeManager.class);

    private final HttpClients clients;
    private final BatchPublisher publisher;
    private final ShardOwnership shards;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final Duration syncDelay;
    private final String userAgent;
    private final Map<String, Job> jobs = new LinkedHashMap<>();

    private final class Job {
        final ScrapePool pool;
        final List<Thread> discoverers = new ArrayList<>();
        final Map<String, TargetGroup> groups = new LinkedHashMap<>();
        ScrapeConfig config;
        ScheduledFuture<?> pendingSync;

        Job(ScrapeConfig config) throws IOException {
            this.config = config;
            this.pool = new ScrapePool(config, clients, publisher, shards, scheduler, workers, userAgent);
        }

        void startDiscovery() {
            for (DiscovererFactory.Named named : DiscovererFactory.create(config)) {
                String name = config.jobName() + "/" + named.mechanism();
                Thread thread = new Thread(() -> runDiscoverer(named, name), "kprom-sd-" + name);
                thread.setDaemon(true);
                discoverers.add(thread);
                thread.start();
            }
        }

        private void runDiscoverer(DiscovererFactory.Named named, String name) {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    named.discoverer().run(update -> onGroups(name, update));
                    return;
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    ScraperMetrics.SD_FAILURES.labelValues(named.mechanism()).inc();
                    LOG.warn("discoverer {} failed, restarting in 5s", name, e);
                    try {
                        Thread.sleep(5000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }

        private void onGroups(String name, List<TargetGroup> update) {
            ScraperMetrics.SD_UPDATES.labelValues(name).inc();
            synchronized (this) {
                for (TargetGroup group : update) {
                    groups.put(name + "|" + group.source(), group);
                }
                int discovered = groups.values().stream().mapToInt(g -> g.targets().size()).sum();
                ScraperMetrics.DISCOVERED_TARGETS.labelValues(config.jobName(), name).set(discovered);
                if (pendingSync == null || pendingSync.isDone()) {
                    pendingSync = scheduler.schedule(this::sync, syncDelay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }

        void sync() {
            List<TargetGroup> snapshot;
            synchronized (this) {
                snapshot = new ArrayList<>(groups.values());
            }
            try {
                pool.sync(snapshot);
            } catch (RuntimeException e) {
                LOG.error("sync of scrape pool {} failed", config.jobName(), e);
            }
        }

        void stopDiscovery() {
            for (Thread thread : discoverers) {
                thread.interrupt();
            }
            for (Thread thread : discoverers) {
                try {
                    thread.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            discoverers.clear();
            synchronized (this) {
                groups.clear();
            }
        }
    }

    public ScrapeManager(HttpClients clients, BatchPublisher publisher, ShardOwnership shards,
            ScheduledExecutorService scheduler, ExecutorService workers, Duration syncDelay, String userAgent) {
        this.userAgent = userAgent;
        this.clients = clients;
        this.publisher = publisher;
        this.shards = shards;
        this.scheduler = scheduler;
        this.workers = workers;
        this.syncDelay = syncDelay;
    }

    /** Reconciles running jobs with the config's scrape configs. */
    public synchronized void apply(PrometheusConfig config) throws IOException {
        Map<String, ScrapeConfig> wanted = new LinkedHashMap<>();
        for (ScrapeConfig scrape : config.scrapeConfigs()) {
            wanted.put(scrape.jobName(), scrape);
        }
        for (var it = jobs.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Job> entry = it.next();
            if (!wanted.containsKey(entry.getKey())) {
                entry.getValue().stopDiscovery();
                entry.getValue().pool.stop(true);
                it.remove();
            }
        }
        for (ScrapeConfig scrape : wanted.values()) {
            Job job = jobs.get(scrape.jobName());
            if (job == null) {
                job = new Job(scrape);
                jobs.put(scrape.jobName(), job);
                job.startDiscovery();
                continue;
            }
            if (scrape.equals(job.config)) {
                continue;
            }
            boolean discoveryChanged = !Objects.equals(scrape.staticConfigs(), job.config.staticConfigs())
                    || !Objects.equals(scrape.fileSdConfigs(), job.config.fileSdConfigs())
                    || !Objects.equals(scrape.kubernetesSdConfigs(), job.config.kubernetesSdConfigs());
            job.pool.reload(scrape);
            if (discoveryChanged) {
                job.stopDiscovery();
                job.config = scrape;
                job.startDiscovery();
            } else {
                job.config = scrape;
            }
        }
    }

    public synchronized List<ScrapePool> pools() {
        return jobs.values().stream().map(j -> j.pool).toList();
    }

    @Override
    public synchronized void close() {
        for (Job job : jobs.values()) {
            job.stopDiscovery();
            job.pool.stop(false);
        }
        jobs.clear();
    }
}

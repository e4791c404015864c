package io.kprom.scraper.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kprom.common.config.PromDuration;
import io.kprom.common.http.HttpServer;
import io.kprom.common.labels.Labels;
import io.kprom.scraper.scrape.ScrapeLoop;
import io.kprom.scraper.scrape.ScrapePool;
import io.kprom.scraper.target.Target;
import io.kprom.scraper.target.TargetBuilder;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /api/v1/targets} in Prometheus's JSON shape: {@code activeTargets} (discoveredLabels,
 * labels, scrapePool, scrapeUrl, globalUrl, lastError, lastScrape, lastScrapeDuration, health,
 * scrapeInterval, scrapeTimeout) and {@code droppedTargets} (discoveredLabels, scrapePool), filtered by
 * {@code state} and {@code scrapePool}. In a sharded deployment each replica lists every target;
 * the ones it does not scrape report health {@code unknown} and {@code "scrapedHere": false}.
 * Thread-safe.
 */
public final class TargetsHandler extends Handler.Abstract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final String NEVER = "0001-01-01T00:00:00Z";

    private final Supplier<List<ScrapePool>> pools;
    private final String hostname;

    public TargetsHandler(Supplier<List<ScrapePool>> pools) {
        this.pools = pools;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        this.hostname = host;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Fields query = Request.extractQueryParameters(request);
        String state = query.getValue("state") == null ? "any" : query.getValue("state");
        String scrapePool = query.getValue("scrapePool");
        if (!List.of("any", "active", "dropped").contains(state)) {
            sendError(response, callback, "invalid state \"" + state + "\"; use active, dropped or any");
            return true;
        }
        byte[] body = JSON.writeValueAsBytes(render(state, scrapePool));
        HttpServer.send(response, callback, 200, "application/json", body);
        return true;
    }

    ObjectNode render(String state, String scrapePool) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "success");
        ObjectNode data = root.putObject("data");
        ArrayNode active = data.putArray("activeTargets");
        ArrayNode dropped = data.putArray("droppedTargets");
        ObjectNode droppedCounts = data.putObject("droppedTargetCounts");
        for (ScrapePool pool : pools.get()) {
            if (scrapePool != null && !scrapePool.equals(pool.job())) {
                continue;
            }
            List<TargetBuilder.Result> droppedTargets = pool.droppedTargets();
            droppedCounts.put(pool.job(), droppedTargets.size());
            if (!state.equals("dropped")) {
                for (ScrapeLoop loop : pool.activeLoops()) {
                    active.add(activeTarget(pool, loop));
                }
            }
            if (!state.equals("active")) {
                for (TargetBuilder.Result result : droppedTargets) {
                    ObjectNode node = dropped.addObject();
                    node.set("discoveredLabels", labels(result.discoveredLabels()));
                    node.put("scrapePool", pool.job());
                }
            }
        }
        return root;
    }

    private ObjectNode activeTarget(ScrapePool pool, ScrapeLoop loop) {
        Target target = loop.target();
        ObjectNode node = JSON.createObjectNode();
        node.set("discoveredLabels", labels(target.discoveredLabels()));
        node.set("labels", labels(target.publicLabels()));
        node.put("scrapePool", pool.job());
        node.put("scrapeUrl", target.url());
        node.put("globalUrl", globalUrl(target.url()));
        node.put("lastError", loop.lastError());
        long last = loop.lastScrapeMillis();
        node.put("lastScrape", last == 0 ? NEVER
                : OffsetDateTime.ofInstant(Instant.ofEpochMilli(last), ZoneOffset.UTC).format(RFC3339));
        node.put("lastScrapeDuration", loop.lastDurationSeconds());
        node.put("health", loop.owned() ? loop.health() : "unknown");
        node.put("scrapeInterval", PromDuration.format(target.interval()));
        node.put("scrapeTimeout", PromDuration.format(target.timeout()));
        node.put("scrapedHere", loop.owned());
        return node;
    }

    /** The scrape URL as others reach it: loopback hosts replaced by this machine's name. */
    private String globalUrl(String url) {
        return url.replaceFirst("://(localhost|127\\.0\\.0\\.1|\\[::1\\])([:/])", "://" + hostname + "$2");
    }

    private static ObjectNode labels(Labels labels) {
        ObjectNode node = JSON.createObjectNode();
        labels.forEach(node::put);
        return node;
    }

    private static void sendError(Response response, Callback callback, String message) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "error");
        root.put("errorType", "bad_data");
        root.put("error", message);
        HttpServer.send(response, callback, 400, "application/json", JSON.writeValueAsBytes(root));
    }
}

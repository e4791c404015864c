package io.kprom.standalone.fault.corpus;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Two scrape targets on one loopback server: {@code /bomb} exposes {@link #QUIET_SERIES} series, except
 * for the scrapes {@link #arm(int)} grants, which get {@code seriesCount} distinct ones (a cardinality
 * explosion, e.g. a request id put in a label; the quiet series are among them); {@code /normal} always exposes {@link #NORMAL_SERIES} series whose values follow the scrape
 * count. Thread-safe; close once.
 */
public final class BombTargets implements AutoCloseable {
    public static final int QUIET_SERIES = 3;
    public static final int NORMAL_SERIES = 20;

    private final HttpServer server;
    private final byte[] quiet;
    private final byte[] bomb;
    private final AtomicInteger bombsLeft = new AtomicInteger();
    private final AtomicLong normalScrapes = new AtomicLong();
    private final AtomicLong bombScrapes = new AtomicLong();
    private final AtomicLong lastBombMillis = new AtomicLong();
    private final ExecutorService executor = Executors.newFixedThreadPool(2);

    public BombTargets(int seriesCount) throws IOException {
        quiet = bombBody(QUIET_SERIES);
        bomb = bombBody(seriesCount);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/bomb", exchange -> {
            byte[] body = bombsLeft.getAndUpdate(left -> Math.max(0, left - 1)) > 0 ? bomb : quiet;
            if (body == bomb) {
                bombScrapes.incrementAndGet();
                lastBombMillis.set(System.currentTimeMillis());
            }
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/normal", exchange -> {
            long scrape = normalScrapes.incrementAndGet();
            StringBuilder text = new StringBuilder("# TYPE normal_requests_total counter\n");
            for (int i = 0; i < NORMAL_SERIES; i++) {
                text.append("normal_requests_total{handler=\"/h").append(i).append("\"} ").append(scrape * (i + 1))
                        .append('\n');
            }
            byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The next {@code scrapes} scrapes of {@code /bomb} get all its series; later ones the quiet series again. */
    public void arm(int scrapes) {
        bombsLeft.set(scrapes);
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many times {@code /bomb} has answered all its series. */
    public long bombScrapes() {
        return bombScrapes.get();
    }

    /** Wall-clock millis when {@code /bomb} last answered all its series; 0 before. */
    public long lastBombMillis() {
        return lastBombMillis.get();
    }

    public int bombBytes() {
        return bomb.length;
    }

    /** Distinct series of one metric, about 70 bytes a line. */
    private static byte[] bombBody(int series) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(series * 72 + 128);
        out.writeBytes("# HELP bomb_requests_total Requests by request id (a cardinality bug).\n# TYPE bomb_requests_total counter\n"
                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder line = new StringBuilder(96);
        for (int i = 0; i < series; i++) {
            line.setLength(0);
            line.append("bomb_requests_total{request_id=\"req-").append(i).append("\",route=\"/api/items\"} ")
                    .append(i % 97).append('\n');
            for (int c = 0; c < line.length(); c++) {
                out.write(line.charAt(c));
            }
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

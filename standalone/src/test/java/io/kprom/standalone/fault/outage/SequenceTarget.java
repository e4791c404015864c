package io.kprom.standalone.fault.outage;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic scrape target on loopback: the n-th scrape answers {@code outage_scrape_sequence n}, so
 * every scrape's sample is unique and a missing or doubled one shows in the stored values.
 * Thread-safe.
 */
public final class SequenceTarget implements AutoCloseable {
    /** The metric each scrape exposes. */
    public static final String METRIC = "outage_scrape_sequence";

    private final HttpServer server;
    private final AtomicLong served = new AtomicLong();

    public SequenceTarget() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            long sequence = served.incrementAndGet();
            byte[] body = ("# HELP " + METRIC + " The number of this scrape.\n# TYPE " + METRIC + " gauge\n"
                    + METRIC + " " + sequence + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** {@code 127.0.0.1:port}, for a static_configs target. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many scrapes were answered so far (the highest sequence number handed out). */
    public long served() {
        return served.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

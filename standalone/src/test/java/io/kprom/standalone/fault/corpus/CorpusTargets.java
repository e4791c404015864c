package io.kprom.standalone.fault.corpus;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A loopback HTTP server that plays every scrape target of a fault test: {@code /corpus/<case>} answers
 * each {@link ExpositionCase}'s body, {@code /good} a well-formed exposition of {@link #GOOD_SERIES} series.
 * Thread-safe; close once.
 */
public final class CorpusTargets implements AutoCloseable {
    /** Series the good target exposes (all named {@code corpus_good_value}). */
    public static final int GOOD_SERIES = 50;

    private final HttpServer server;

    public CorpusTargets(List<ExpositionCase> cases) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        for (ExpositionCase c : cases) {
            server.createContext("/corpus/" + c.name(), exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", c.contentType());
                exchange.sendResponseHeaders(c.status(), c.body().length == 0 ? -1 : c.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(c.body());
                }
            });
        }
        byte[] good = goodExposition().getBytes(StandardCharsets.UTF_8);
        server.createContext("/good", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, good.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(good);
            }
        });
        server.start();
    }

    /** {@code 127.0.0.1:port} for static_configs. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    static String goodExposition() {
        StringBuilder text = new StringBuilder("# HELP corpus_good_value A value of the well-behaved target.\n"
                + "# TYPE corpus_good_value gauge\n");
        for (int i = 0; i < GOOD_SERIES; i++) {
            text.append("corpus_good_value{series=\"").append(i).append("\"} ").append(i).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}

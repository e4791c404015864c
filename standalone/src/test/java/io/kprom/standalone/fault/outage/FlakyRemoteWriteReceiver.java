package io.kprom.standalone.fault.outage;

import com.sun.net.httpserver.HttpServer;
import io.kprom.common.labels.Labels;
import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xerial.snappy.Snappy;

/**
 * A loopback Prometheus remote-write 1.0 endpoint that is down for a fixed time: from its first request
 * on it answers 503 for {@code outage}, then 204, decoding every accepted request and keeping every
 * sample per series in arrival order. Thread-safe.
 */
public final class FlakyRemoteWriteReceiver implements AutoCloseable {
    private final HttpServer server;
    private final Duration outage;
    private final Map<Labels, List<PipelineClient.Point>> received = new ConcurrentHashMap<>();
    private final AtomicLong firstRequestNanos = new AtomicLong();
    private final AtomicInteger rejected = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile long lastRejectedNanos;

    public FlakyRemoteWriteReceiver(Duration outage) throws IOException {
        this.outage = outage;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/write", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            long now = System.nanoTime();
            firstRequestNanos.compareAndSet(0, now);
            int status;
            if (now - firstRequestNanos.get() < outage.toNanos()) {
                rejected.incrementAndGet();
                lastRejectedNanos = now;
                status = 503;
            } else {
                store(RemoteWriteV1.WriteRequest.parseFrom(Snappy.uncompress(body)));
                accepted.incrementAndGet();
                status = 204;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    private synchronized void store(RemoteWriteV1.WriteRequest request) {
        for (RemoteWriteV1.TimeSeries series : request.getTimeseriesList()) {
            Labels.Builder labels = Labels.builder();
            for (RemoteWriteV1.Label label : series.getLabelsList()) {
                labels.set(label.getName(), label.getValue());
            }
            List<PipelineClient.Point> points = received.computeIfAbsent(labels.build(), l -> new ArrayList<>());
            for (RemoteWriteV1.Sample sample : series.getSamplesList()) {
                points.add(new PipelineClient.Point(sample.getTimestamp(), sample.getValue()));
            }
        }
    }

    /** The URL to put in {@code remote_write}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    /** Every accepted sample of the series with exactly these labels, in arrival order. */
    public synchronized List<PipelineClient.Point> samples(Labels labels) {
        return List.copyOf(received.getOrDefault(labels, List.of()));
    }

    /** Whether the outage window has begun and ended (the first request came and {@code outage} has passed). */
    public boolean recovered() {
        long first = firstRequestNanos.get();
        return first != 0 && System.nanoTime() - first >= outage.toNanos();
    }

    /** How long the endpoint answered 503: from the first to the last rejected request. */
    public Duration rejectingSpan() {
        long first = firstRequestNanos.get();
        return first == 0 || lastRejectedNanos == 0 ? Duration.ZERO : Duration.ofNanos(lastRejectedNanos - first);
    }

    public int rejectedRequests() {
        return rejected.get();
    }

    public int acceptedRequests() {
        return accepted.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

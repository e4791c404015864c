package io.kprom.sink.remotewrite;

import com.sun.net.httpserver.HttpServer;
import io.kprom.common.labels.Labels;
import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import io.kprom.schemas.remotewrite.v2.RemoteWriteV2;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.xerial.snappy.Snappy;

/**
 * A loopback remote-write endpoint for tests: answers with a status chosen per request, and for
 * 2xx answers decodes the snappy protobuf body (1.0 or 2.0) and keeps every sample in arrival order.
 */
final class RemoteWriteReceiver implements AutoCloseable {
    record Point(long timestampMillis, double value) {
    }

    final Map<Labels, List<Point>> received = new ConcurrentHashMap<>();
    final List<Map<String, String>> acceptedHeaders = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    private final HttpServer server;
    volatile IntSupplier status = () -> 204;
    volatile String retryAfter;

    RemoteWriteReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/write", exchange -> {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            int code = status.getAsInt();
            if (code / 100 == 2) {
                decode(exchange.getRequestHeaders().getFirst("Content-Type"), Snappy.uncompress(body));
                Map<String, String> headers = new java.util.HashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
                acceptedHeaders.add(headers);
            } else {
                rejected.incrementAndGet();
                if (retryAfter != null) {
                    exchange.getResponseHeaders().add("Retry-After", retryAfter);
                }
            }
            byte[] text = (code / 100 == 2 ? "" : "test receiver says " + code).getBytes();
            exchange.sendResponseHeaders(code, text.length == 0 ? -1 : text.length);
            if (text.length > 0) {
                exchange.getResponseBody().write(text);
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/write";
    }

    private synchronized void decode(String contentType, byte[] protobuf) throws IOException {
        if (contentType != null && contentType.contains("io.prometheus.write.v2.Request")) {
            RemoteWriteV2.Request request = RemoteWriteV2.Request.parseFrom(protobuf);
            for (RemoteWriteV2.TimeSeries series : request.getTimeseriesList()) {
                Labels.Builder labels = Labels.builder();
                for (int i = 0; i < series.getLabelsRefsCount(); i += 2) {
                    labels.set(request.getSymbols(series.getLabelsRefs(i)), request.getSymbols(series.getLabelsRefs(i + 1)));
                }
                List<Point> points = received.computeIfAbsent(labels.build(), l -> new CopyOnWriteArrayList<>());
                for (RemoteWriteV2.Sample sample : series.getSamplesList()) {
                    points.add(new Point(sample.getTimestamp(), sample.getValue()));
                }
            }
            return;
        }
        RemoteWriteV1.WriteRequest request = RemoteWriteV1.WriteRequest.parseFrom(protobuf);
        for (RemoteWriteV1.TimeSeries series : request.getTimeseriesList()) {
            Labels.Builder labels = Labels.builder();
            for (RemoteWriteV1.Label label : series.getLabelsList()) {
                labels.set(label.getName(), label.getValue());
            }
            List<Point> points = received.computeIfAbsent(labels.build(), l -> new CopyOnWriteArrayList<>());
            for (RemoteWriteV1.Sample sample : series.getSamplesList()) {
                points.add(new Point(sample.getTimestamp(), sample.getValue()));
            }
        }
    }

    int totalSamples() {
        int total = 0;
        for (List<Point> points : new ArrayList<>(received.values())) {
            total += points.size();
        }
        return total;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.kprom.scraper.remotewrite;

import io.kprom.common.http.HttpServer;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.scraper.scrape.BatchPublisher;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.InputStream;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/write}: the Prometheus remote-write receiver (1.0 and 2.0). Answers 204 only once
 * Kafka acknowledged the batch; 415 for unsupported content types/encodings; 400 for bodies that cannot
 * be decoded or for invalid series (the valid series of the request are still written first); 500 when
 * Kafka did not take the batch in time (the sender retries). For 2.0 it sets
 * {@code X-Prometheus-Remote-Write-{Samples,Histograms,Exemplars}-Written}. Thread-safe.
 */
public final class RemoteWriteHandler extends Handler.Abstract {
    private static final Counter REQUESTS = Counter.builder().name("kprom_scraper_remote_write_requests_total")
            .help("Remote-write requests by protocol version and HTTP status.").labelNames("version", "code").register();
    private static final Counter SAMPLES = Counter.builder().name("prometheus_remote_write_receiver_samples_received_total")
            .help("Samples received through the remote-write receiver and handed to Kafka.").register();
    private static final Counter INVALID = Counter.builder().name("kprom_scraper_remote_write_invalid_series_total")
            .help("Remote-write series rejected as invalid (dropped).").register();

    private final BatchPublisher publisher;
    private final long maxBodyBytes;
    private final long ackTimeoutMillis;

    public RemoteWriteHandler(BatchPublisher publisher) {
        this(publisher, 32L * 1024 * 1024, 30_000);
    }

    public RemoteWriteHandler(BatchPublisher publisher, long maxBodyBytes, long ackTimeoutMillis) {
        this.publisher = publisher;
        this.maxBodyBytes = maxBodyBytes;
        this.ackTimeoutMillis = ackTimeoutMillis;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!"POST".equals(request.getMethod())) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            HttpServer.sendText(response, callback, 405, "method not allowed; use POST\n");
            return true;
        }
        RemoteWriteDecoder.Version version;
        try {
            version = RemoteWriteDecoder.negotiate(request.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    request.getHeaders().get(HttpHeader.CONTENT_ENCODING));
        } catch (RemoteWriteException e) {
            REQUESTS.labelValues("unknown", String.valueOf(e.status())).inc();
            HttpServer.sendText(response, callback, e.status(), e.getMessage() + "\n");
            return true;
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        }
        if (body.length > maxBodyBytes) {
            reply(response, callback, version, 413, "request body larger than " + maxBodyBytes + " bytes\n", null);
            return true;
        }
        RemoteWriteDecoder.Decoded decoded;
        try {
            decoded = RemoteWriteDecoder.decode(version, body, System.currentTimeMillis());
        } catch (RemoteWriteException e) {
            reply(response, callback, version, e.status(), e.getMessage() + "\n", null);
            return true;
        }
        if (decoded.invalid() > 0) {
            INVALID.inc(decoded.invalid());
        }
        if (decoded.batch().getSeries().isEmpty() && decoded.batch().getMetadata().isEmpty()) {
            if (decoded.invalid() > 0) {
                reply(response, callback, version, 400, decoded.firstError() + "\n", decoded);
            } else {
                reply(response, callback, version, 204, null, decoded);
            }
            return true;
        }
        publisher.publish(key(decoded), decoded.batch())
                .orTimeout(ackTimeoutMillis, TimeUnit.MILLISECONDS)
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        reply(response, callback, version, 500, "cannot store batch in Kafka: " + error.getMessage() + "\n",
                                null);
                    } else {
                        SAMPLES.inc(decoded.samples());
                        if (decoded.invalid() > 0) {
                            reply(response, callback, version, 400, decoded.invalid() + " invalid series dropped: "
                                    + decoded.firstError() + "\n", decoded);
                        } else {
                            reply(response, callback, version, 204, null, decoded);
                        }
                    }
                });
        return true;
    }

    /** Spreads remote-write batches over partitions by their first series (or first metadata family). */
    private static String key(RemoteWriteDecoder.Decoded decoded) {
        if (decoded.batch().getSeries().isEmpty()) {
            return "remote-write/metadata/" + decoded.batch().getMetadata().get(0).getMetricFamily();
        }
        RawSeries first = decoded.batch().getSeries().get(0);
        return "remote-write/" + HexFormat.of().toHexDigits(first.getLabels().hashCode());
    }

    private static void reply(Response response, Callback callback, RemoteWriteDecoder.Version version, int status,
            String text, RemoteWriteDecoder.Decoded written) {
        REQUESTS.labelValues(version.name().toLowerCase(java.util.Locale.ROOT), String.valueOf(status)).inc();
        if (version == RemoteWriteDecoder.Version.V2) {
            long samples = written == null ? 0 : written.samples();
            long histograms = written == null ? 0 : written.histograms();
            long exemplars = written == null ? 0 : written.exemplars();
            response.getHeaders().put("X-Prometheus-Remote-Write-Samples-Written", String.valueOf(samples));
            response.getHeaders().put("X-Prometheus-Remote-Write-Histograms-Written", String.valueOf(histograms));
            response.getHeaders().put("X-Prometheus-Remote-Write-Exemplars-Written", String.valueOf(exemplars));
        }
        if (status == 204) {
            response.setStatus(204);
            callback.succeeded();
        } else {
            HttpServer.sendText(response, callback, status, text);
        }
    }
}

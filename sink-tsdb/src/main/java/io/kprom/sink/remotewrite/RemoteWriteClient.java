package io.kprom.sink.remotewrite;

import io.kprom.common.config.RemoteWriteConfig;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.BooleanSupplier;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches to one remote-write endpoint with Prometheus's retry rules: 2xx is success; 5xx,
 * network errors and (with {@code retry_on_http_429}) 429 are retried with exponential backoff
 * from {@code min_backoff} to {@code max_backoff}, honouring {@code Retry-After}; other statuses
 * drop the batch and count its samples as failed. Thread-safe: shards call {@link #send}
 * concurrently.
 */
public final class RemoteWriteClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteClient.class);

    /** How a batch ended. */
    public enum Outcome { SENT, DROPPED, ABORTED }

    private final RemoteWriteConfig config;
    private final String remoteName;
    private final WriteRequestEncoder encoder;
    private final OkHttpClient http;
    private final Sleeper sleeper;

    /** Waits between retries; returns false when interrupted by shutdown. */
    @FunctionalInterface
    public interface Sleeper {
        boolean sleep(Duration duration);
    }

    public RemoteWriteClient(RemoteWriteConfig config, String remoteName, Sleeper sleeper) {
        this.config = config;
        this.remoteName = remoteName;
        this.encoder = WriteRequestEncoder.forMessage(config.protobufMessage());
        this.http = HttpClients.build(config.httpClientConfig(), config.remoteTimeout());
        this.sleeper = sleeper;
    }

    /**
     * Sends one batch, retrying until it is accepted, dropped, or {@code running} turns false
     * (then {@link Outcome#ABORTED}: the caller must not commit the batch's offsets).
     */
    public Outcome send(List<SeriesBuffer.SeriesSamples> batch, BooleanSupplier running) {
        int samples = 0;
        long highest = Long.MIN_VALUE;
        for (SeriesBuffer.SeriesSamples series : batch) {
            samples += series.timestamps().length;
            if (series.timestamps().length > 0) {
                highest = Math.max(highest, series.timestamps()[series.timestamps().length - 1]);
            }
        }
        byte[] body = encoder.encode(batch);
        Duration backoff = config.queueConfig().minBackoff();
        String[] labels = {remoteName, config.url()};
        while (running.getAsBoolean()) {
            Duration retryAfter = null;
            String problem;
            long start = System.nanoTime();
            try (Response response = http.newCall(request(body)).execute()) {
                int code = response.code();
                if (code / 100 == 2) {
                    RemoteWriteMetrics.SAMPLES.labelValues(labels).inc(samples);
                    if (highest != Long.MIN_VALUE) {
                        double seconds = highest / 1000.0;
                        var gauge = RemoteWriteMetrics.HIGHEST_SENT_TIMESTAMP.labelValues(labels);
                        if (seconds > gauge.get()) {
                            gauge.set(seconds);
                        }
                    }
                    return Outcome.SENT;
                }
                String text = response.body() == null ? "" : response.body().string();
                problem = "server returned HTTP status " + response.code() + " " + response.message() + ": "
                        + abbreviate(text);
                boolean recoverable = code / 100 == 5 || (code == 429 && config.queueConfig().retryOnHttp429());
                if (!recoverable) {
                    RemoteWriteMetrics.SAMPLES_FAILED.labelValues(labels).inc(samples);
                    RemoteWriteMetrics.SAMPLES_DROPPED.labelValues(remoteName, config.url(), "non_recoverable_http_status")
                            .inc(samples);
                    LOG.warn("remote write to {} dropped {} samples: {}", config.url(), samples, problem);
                    return Outcome.DROPPED;
                }
                retryAfter = parseRetryAfter(response.header("Retry-After"));
            } catch (IOException e) {
                problem = e.toString();
            } finally {
                RemoteWriteMetrics.SEND_DURATION.labelValues(labels).observe((System.nanoTime() - start) / 1e9);
            }
            RemoteWriteMetrics.SAMPLES_RETRIED.labelValues(labels).inc(samples);
            Duration wait = retryAfter != null && retryAfter.compareTo(Duration.ZERO) > 0 ? retryAfter : backoff;
            LOG.debug("remote write to {} failed, retrying in {}: {}", config.url(), wait, problem);
            if (!sleeper.sleep(wait)) {
                break;
            }
            backoff = backoff.multipliedBy(2);
            if (backoff.compareTo(config.queueConfig().maxBackoff()) > 0) {
                backoff = config.queueConfig().maxBackoff();
            }
        }
        return Outcome.ABORTED;
    }

    private Request request(byte[] body) {
        Request.Builder request = new Request.Builder().url(config.url())
                .post(RequestBody.create(body, MediaType.get(encoder.contentType())))
                .header("Content-Encoding", "snappy")
                .header("User-Agent", "kprom/0.1")
                .header("X-Prometheus-Remote-Write-Version", encoder.protocolVersion());
        config.httpClientConfig().httpHeaders().forEach(request::header);
        config.headers().forEach(request::header);
        String authorization = HttpClients.authorizationHeader(config.httpClientConfig());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    /** Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    private static String abbreviate(String text) {
        String line = text.strip();
        return line.length() > 256 ? line.substring(0, 256) + "..." : line;
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}

package io.kprom.schemas.serde;

import io.prometheus.metrics.core.metrics.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts undecodable records in {@code kprom_decode_errors_total{topic,reason}} and logs them at
 * most once per reason per minute (with how many were not logged since), so a topic full of garbage
 * neither floods the log nor goes unnoticed. Thread-safe; the metric is registered once per JVM.
 *
 * <pre>{@code
 * try {
 *     batch = deserializer.deserialize(topic, bytes);
 * } catch (SerializationException e) {
 *     DecodeErrors.record(topic, DecodeException.reasonOf(e), e);
 * }
 * }</pre>
 */
public final class DecodeErrors {
    private static final Logger LOG = LoggerFactory.getLogger(DecodeErrors.class);
    private static final long LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final Counter DECODE_ERRORS = Counter.builder()
            .name("kprom_decode_errors_total")
            .help("Kafka records whose value could not be decoded and were skipped, by topic and reason.")
            .labelNames("topic", "reason")
            .register();

    private static final Map<DecodeErrorReason, LogWindow> WINDOWS = new ConcurrentHashMap<>();

    private DecodeErrors() {
    }

    /** Counts one undecodable record and logs it unless this reason was logged in the last minute. */
    public static void record(String topic, DecodeErrorReason reason, Throwable error) {
        DECODE_ERRORS.labelValues(topic, reason.label()).inc();
        LogWindow window = WINDOWS.computeIfAbsent(reason, r -> new LogWindow());
        long suppressed = window.tryLog(System.nanoTime());
        if (suppressed >= 0) {
            LOG.warn("skipping undecodable record on topic {} (reason {}; {} more with this reason not logged in the last minute): {}",
                    topic, reason.label(), suppressed, error == null ? "" : error.getMessage());
        }
    }

    /** The current count for {@code topic} and {@code reason} (for tests and diagnostics). */
    public static long count(String topic, DecodeErrorReason reason) {
        return (long) DECODE_ERRORS.labelValues(topic, reason.label()).get();
    }

    /** Lets one log line through per interval and counts the ones it holds back. */
    private static final class LogWindow {
        private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
        private final AtomicLong suppressed = new AtomicLong();

        /** The number suppressed since the last line when this call may log, else -1. */
        long tryLog(long now) {
            long last = lastLogNanos.get();
            if (now - last >= LOG_INTERVAL_NANOS && lastLogNanos.compareAndSet(last, now)) {
                return suppressed.getAndSet(0);
            }
            suppressed.incrementAndGet();
            return -1;
        }
    }
}

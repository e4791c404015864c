package io.kprom.sink.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.config.HttpClientConfig;
import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.labels.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retry and drop rules of one endpoint, against a loopback receiver; waits are recorded, not slept. */
class RemoteWriteClientTest {
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    final List<SeriesBuffer.SeriesSamples> batch = List.of(new SeriesBuffer.SeriesSamples(
            Labels.of("__name__", "m", "i", "1"), new long[] {1000, 2000}, new double[] {1, 2}));

    RemoteWriteClient client(RemoteWriteReceiver receiver, boolean retry429) {
        RemoteWriteConfig config = new RemoteWriteConfig(receiver.url(), "", Duration.ofSeconds(5), Map.of(), List.of(),
                new RemoteWriteConfig.QueueConfig(100, 1, 1, 100, Duration.ofMillis(10), Duration.ofMillis(30),
                        Duration.ofMillis(100), retry429, Duration.ZERO),
                RemoteWriteConfig.PROTOBUF_V1, false, false, HttpClientConfig.DEFAULT);
        return new RemoteWriteClient(config, "client-test-" + System.nanoTime(), duration -> {
            waits.add(duration);
            return true;
        });
    }

    @Test
    void retries5xxWithExponentialBackoffCappedAtMax() throws Exception {
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver(); var client = client(receiver, true)) {
            AtomicInteger calls = new AtomicInteger();
            receiver.status = () -> calls.incrementAndGet() <= 4 ? 500 : 200;
            assertThat(client.send(batch, () -> true)).isEqualTo(RemoteWriteClient.Outcome.SENT);
            assertThat(waits).containsExactly(Duration.ofMillis(30), Duration.ofMillis(60), Duration.ofMillis(100),
                    Duration.ofMillis(100));
            assertThat(receiver.totalSamples()).isEqualTo(2);
        }
    }

    @Test
    void honoursRetryAfterOn429() throws Exception {
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver(); var client = client(receiver, true)) {
            AtomicInteger calls = new AtomicInteger();
            receiver.retryAfter = "7";
            receiver.status = () -> calls.incrementAndGet() == 1 ? 429 : 204;
            assertThat(client.send(batch, () -> true)).isEqualTo(RemoteWriteClient.Outcome.SENT);
            assertThat(waits).containsExactly(Duration.ofSeconds(7));
        }
    }

    @Test
    void dropsOn429WhenRetryIsOffAndOnOther4xx() throws Exception {
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver(); var client = client(receiver, false)) {
            receiver.status = () -> 429;
            assertThat(client.send(batch, () -> true)).isEqualTo(RemoteWriteClient.Outcome.DROPPED);
            receiver.status = () -> 404;
            assertThat(client.send(batch, () -> true)).isEqualTo(RemoteWriteClient.Outcome.DROPPED);
            assertThat(waits).isEmpty();
            assertThat(receiver.totalSamples()).isZero();
        }
    }

    @Test
    void stopsRetryingWhenShutDown() throws Exception {
        try (RemoteWriteReceiver receiver = new RemoteWriteReceiver(); var client = client(receiver, true)) {
            receiver.status = () -> 503;
            AtomicInteger polls = new AtomicInteger();
            assertThat(client.send(batch, () -> polls.incrementAndGet() <= 3)).isEqualTo(RemoteWriteClient.Outcome.ABORTED);
            assertThat(receiver.requests.get()).isEqualTo(3);
        }
    }

    @Test
    void parsesRetryAfter() {
        assertThat(RemoteWriteClient.parseRetryAfter("120")).isEqualTo(Duration.ofSeconds(120));
        assertThat(RemoteWriteClient.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
        assertThat(RemoteWriteClient.parseRetryAfter("soon")).isNull();
        assertThat(RemoteWriteClient.parseRetryAfter(null)).isNull();
    }
}

package io.kprom.sink.ingest;

import io.kprom.sink.storage.SeriesStore;
import io.kprom.sink.storage.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A sink (store + ingest consumer) as its own process, for the crash tests: {@code SinkChildMain
 * <storeDir> <bootstrapServers> <topic> <groupId>}. Runs until killed; prints {@code STARTED} once
 * consuming. It reads all partitions without group membership, so a restarted process resumes at once.
 */
public final class SinkChildMain {
    private SinkChildMain() {
    }

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        SeriesStore store = SeriesStore.open(Path.of(args[0]),
                StoreOptions.builder().flushInterval(Duration.ofMillis(300)).build());
        SamplesConsumer consumer = SamplesConsumer.start(store, IngestOptions.builder(args[1]).topic(args[2])
                .groupId(args[3]).pollTimeout(Duration.ofMillis(100))
                .assignment(IngestOptions.Assignment.ALL_PARTITIONS)
                .consumerOverrides(Map.of("max.poll.records", 50))
                .build());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.close();
            store.close();
        }));
        System.out.println("STARTED");
        System.out.flush();
        while (true) {
            Thread.sleep(1000);
            System.out.println("LAG " + consumer.lag() + " STORED " + consumer.samplesStored()
                    + (consumer.failure() == null ? "" : " FAILED " + consumer.failure()));
            System.out.flush();
        }
    }
}

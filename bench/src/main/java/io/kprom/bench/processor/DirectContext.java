package io.kprom.bench.processor;

import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A {@link ProcessorContext} that runs one processor in the calling thread: forwarded records go
 * to a callback with the child name, wall-clock punctuators fire when {@link #advanceTo} passes
 * them. Just enough of Kafka Streams for a per-core benchmark; not thread-safe.
 */
final class DirectContext<K, V> implements ProcessorContext<K, V> {
    private record Schedule(long intervalMillis, Punctuator punctuator, long[] next) {
    }

    private final Map<String, StateStore> stores = new HashMap<>();
    private final List<Schedule> schedules = new ArrayList<>();
    private final BiConsumer<String, Record<?, ?>> sink;
    private long nowMillis;

    DirectContext(long startMillis, BiConsumer<String, Record<?, ?>> sink) {
        this.nowMillis = startMillis;
        this.sink = sink;
    }

    void addStore(StateStore store) {
        stores.put(store.name(), store);
    }

    void advanceTo(long millis) {
        nowMillis = millis;
        for (Schedule schedule : schedules) {
            if (schedule.next[0] <= millis) {
                schedule.next[0] = millis + schedule.intervalMillis;
                schedule.punctuator.punctuate(millis);
            }
        }
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
        sink.accept(null, record);
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
        sink.accept(childName, record);
    }

    @Override
    public String applicationId() {
        return "bench";
    }

    @Override
    public TaskId taskId() {
        return new TaskId(0, 0);
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return Optional.empty();
    }

    @Override
    public Serde<?> keySerde() {
        return null;
    }

    @Override
    public Serde<?> valueSerde() {
        return null;
    }

    @Override
    public File stateDir() {
        return new File(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public StreamsMetrics metrics() {
        return null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        return (S) stores.get(name);
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        Schedule schedule = new Schedule(interval.toMillis(), callback, new long[] {nowMillis + interval.toMillis()});
        schedules.add(schedule);
        return () -> schedules.remove(schedule);
    }

    @Override
    public Cancellable schedule(Instant startTime, Duration interval, PunctuationType type, Punctuator callback) {
        return schedule(interval, type, callback);
    }

    @Override
    public void commit() {
        // Nothing to commit.
    }

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }

    @Override
    public long currentSystemTimeMs() {
        return nowMillis;
    }

    @Override
    public long currentStreamTimeMs() {
        return nowMillis;
    }
}

package io.kprom.bench.serde;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.serde.KpromSerdes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serde cost of one scrape of 10 000 series (node-exporter-like labels, one sample each), per series:
 * encode, decode, and encode/decode through Kafka's own zstd and lz4 codecs (the {@code Compression}
 * classes the producer and consumer use on record batches). Setup prints bytes per sample before and
 * after compression.
 *
 * <pre>bench/run-jmh.sh serde.SerdeBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SerdeBenchmark.SERIES)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SerdeBenchmark {
    static final int SERIES = 10_000;
    private static final String TOPIC = "metrics.raw";
    private static final byte MAGIC_V2 = 2;

    @Param({"none", "zstd", "lz4"})
    public String compression;

    private Serde<ScrapeBatch> serde;
    private ScrapeBatch batch;
    private Compression codec;
    private byte[] encoded;
    private ByteBuffer compressed;

    @Setup
    public void setUp() {
        serde = KpromSerdes.scrapeBatch(Map.of());
        batch = scrape(SERIES);
        codec = Compression.of(compression).build();
        encoded = serde.serializer().serialize(TOPIC, batch);
        compressed = compress(encoded);
        System.out.printf("%n[serde sizes] compression=%s encoded=%d bytes (%.2f bytes/sample), on the wire=%d bytes (%.2f bytes/sample)%n",
                compression, encoded.length, (double) encoded.length / SERIES, compressed.remaining(),
                (double) compressed.remaining() / SERIES);
    }

    /** Serialize, then compress as the producer does ({@code none}: serialize only). */
    @Benchmark
    public ByteBuffer encode() {
        return compress(serde.serializer().serialize(TOPIC, batch));
    }

    /** Decompress as the consumer does, then deserialize. */
    @Benchmark
    public ScrapeBatch decode() {
        return serde.deserializer().deserialize(TOPIC, decompress(compressed.duplicate()));
    }

    private ByteBuffer compress(byte[] bytes) {
        ByteBufferOutputStream buffer = new ByteBufferOutputStream(bytes.length / 2 + 1024);
        try (OutputStream out = codec.wrapForOutput(buffer, MAGIC_V2)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer result = buffer.buffer();
        result.flip();
        return result;
    }

    private byte[] decompress(ByteBuffer bytes) {
        try (InputStream in = codec.wrapForInput(bytes, MAGIC_V2, BufferSupplier.NO_CACHING)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scrape like a large node exporter: 9 labels per series, one sample each. */
    static ScrapeBatch scrape(int seriesCount) {
        long now = 1_764_400_000_000L;
        List<RawSeries> series = new ArrayList<>(seriesCount);
        String[] modes = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
        for (int i = 0; i < seriesCount; i++) {
            series.add(RawSeries.newBuilder()
                    .setLabels(List.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i / 8),
                            "instance", "10.0.0.1:9100", "job", "node", "mode", modes[i % 8]))
                    .setTimestamps(List.of(now))
                    .setValues(List.of(12_345.67 + i * 0.37))
                    .build());
        }
        return ScrapeBatch.newBuilder()
                .setSource(BatchSource.SCRAPE)
                .setTarget(ScrapeTarget.newBuilder().setJob("node").setInstance("10.0.0.1:9100")
                        .setLabels(List.of("instance", "10.0.0.1:9100", "job", "node"))
                        .setScrapeIntervalMillis(15_000).setScrapeTimeoutMillis(10_000).build())
                .setScrapeTimestampMillis(now)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).setDurationSeconds(0.05).build())
                .setSeries(series)
                .build();
    }
}

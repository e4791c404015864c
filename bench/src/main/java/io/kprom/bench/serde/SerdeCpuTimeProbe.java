package io.kprom.bench.serde;

import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.serde.KpromSerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Serde;

/**
 * CPU time per series of encoding and decoding {@link SerdeBenchmark}'s 10 000-series scrape, with
 * kprom's serde and, for comparison, with Avro's generic {@code SpecificDatumWriter}/{@code Reader}
 * (what the serde used before its hand-written bodies). Thread CPU time and allocated bytes of the
 * measuring thread, so a loaded machine does not inflate the figures.
 *
 * <pre>java -cp bench/target-jmh/classes:$(cat bench/target-jmh/jmh-classpath.txt) \
 *     io.kprom.bench.serde.SerdeCpuTimeProbe [rounds]</pre>
 */
public final class SerdeCpuTimeProbe {
    private static final String TOPIC = "metrics.raw";

    private SerdeCpuTimeProbe() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        ScrapeBatch batch = SerdeBenchmark.scrape(SerdeBenchmark.SERIES);
        Serde<ScrapeBatch> serde = KpromSerdes.scrapeBatch(Map.of());
        byte[] encoded = serde.serializer().serialize(TOPIC, batch);
        SpecificDatumWriter<ScrapeBatch> avroWriter = new SpecificDatumWriter<>(ScrapeBatch.getClassSchema());
        SpecificDatumReader<ScrapeBatch> avroReader = new SpecificDatumReader<>(ScrapeBatch.getClassSchema());
        byte[] body = java.util.Arrays.copyOfRange(encoded, 10, encoded.length);

        Probe[] probes = {
            new Probe("kprom serde encode", () -> serde.serializer().serialize(TOPIC, batch)),
            new Probe("kprom serde decode", () -> serde.deserializer().deserialize(TOPIC, encoded)),
            new Probe("Avro SpecificDatumWriter encode", () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream(encoded.length);
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                avroWriter.write(batch, encoder);
                encoder.flush();
                return out.toByteArray();
            }),
            new Probe("Avro SpecificDatumReader decode", () -> {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(body, null);
                return avroReader.read(null, decoder);
            }),
        };
        for (Probe probe : probes) {
            probe.run(rounds / 2);
        }
        for (Probe probe : probes) {
            probe.report(rounds, SerdeBenchmark.SERIES);
        }
        System.out.printf("encoded: %d bytes for %d series (%.1f bytes/series)%n", encoded.length, SerdeBenchmark.SERIES,
                (double) encoded.length / SerdeBenchmark.SERIES);
    }

    @FunctionalInterface
    private interface Operation {
        Object run() throws IOException;
    }

    private record Probe(String name, Operation operation) {
        void run(int rounds) throws IOException {
            for (int i = 0; i < rounds; i++) {
                if (operation.run() == null) {
                    throw new IllegalStateException(name + " returned null");
                }
            }
        }

        void report(int rounds, int seriesPerRound) throws IOException {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.ThreadMXBean allocation = (com.sun.management.ThreadMXBean) threads;
            long thread = Thread.currentThread().getId();
            long bytesBefore = allocation.getThreadAllocatedBytes(thread);
            long cpuBefore = threads.getCurrentThreadCpuTime();
            run(rounds);
            double cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;
            double bytes = allocation.getThreadAllocatedBytes(thread) - bytesBefore;
            long series = (long) rounds * seriesPerRound;
            System.out.printf("%-34s %8.3f µs CPU/series  %8.1f B allocated/series%n", name, cpuNanos / 1000 / series,
                    bytes / series);
        }
    }
}

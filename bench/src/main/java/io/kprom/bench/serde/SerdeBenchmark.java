package io.kprom.bench.serde;

import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.serde.KpromSerdes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Encode cost of a 10 000-series ScrapeBatch with the default (single-object) serde. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SerdeBenchmark {
    private Serde<ScrapeBatch> serde;
    private ScrapeBatch batch;

    @Setup
    public void setUp() {
        serde = KpromSerdes.scrapeBatch(Map.of());
        List<RawSeries> series = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            series.add(RawSeries.newBuilder()
                    .setLabels(List.of("__name__", "metric_" + (i % 100), "instance", "host:9100", "le", Integer.toString(i)))
                    .setTimestamps(List.of(1_700_000_000_000L))
                    .setValues(List.of((double) i))
                    .build());
        }
        batch = ScrapeBatch.newBuilder()
                .setSource(io.kprom.schemas.avro.BatchSource.SCRAPE)
                .setScrapeTimestampMillis(1_700_000_000_000L)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).build())
                .setSeries(series)
                .build();
    }

    @Benchmark
    public byte[] encode() {
        return serde.serializer().serialize("metrics.raw", batch);
    }
}

package io.kprom.bench.scraper;

import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.scraper.parse.ExpositionFormat;
import io.kprom.scraper.parse.ExpositionFormatException;
import io.kprom.scraper.parse.ExpositionParser;
import io.kprom.scraper.parse.StringTable;
import io.kprom.scraper.scrape.ScrapeBatchBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Exposition parsing on a 10 000-series node_exporter-like body. Scores are per sample
 * ({@code @OperationsPerInvocation(10000)}): throughput in samples/s on one thread, and with
 * {@code -prof gc} {@code gc.alloc.rate.norm} is allocated bytes per sample. The string table is kept
 * across invocations, as a scrape loop keeps it across scrapes of one target.
 *
 * <pre>bench/run-jmh.sh 'scraper.ExpositionParserBenchmark' -f 1 -wi 3 -i 5 -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExpositionParserBenchmark {
    static final int SERIES = 10_000;

    @Param({"PROMETHEUS_TEXT", "OPENMETRICS"})
    public String format;

    private ExpositionFormat exposition;
    private byte[] body;
    private StringTable strings;
    private ScrapeBatchBuilder builder;

    @Setup(Level.Trial)
    public void setUp() throws ExpositionFormatException {
        exposition = ExpositionFormat.valueOf(format);
        body = NodeExporterPayload.generate(SERIES, exposition == ExpositionFormat.OPENMETRICS);
        if (NodeExporterPayload.countSamples(body) != SERIES) {
            throw new IllegalStateException("payload has " + NodeExporterPayload.countSamples(body) + " samples");
        }
        strings = new StringTable();
        builder = new ScrapeBatchBuilder();
        int parsed = 0;
        ExpositionParser parser = exposition.parser(body, body.length, strings);
        for (ExpositionParser.Entry e = parser.next(); e != null; e = parser.next()) {
            if (e == ExpositionParser.Entry.SERIES) {
                parsed++;
            }
        }
        if (parsed != SERIES) {
            throw new IllegalStateException("parsed " + parsed + " samples");
        }
    }

    /** The pull cursor alone: every name, label, value and timestamp read. */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void parse(Blackhole blackhole) throws ExpositionFormatException {
        ExpositionParser parser = exposition.parser(body, body.length, strings);
        for (ExpositionParser.Entry e = parser.next(); e != null; e = parser.next()) {
            if (e == ExpositionParser.Entry.SERIES) {
                blackhole.consume(parser.metricName());
                for (int i = 0; i < parser.labelCount(); i++) {
                    blackhole.consume(parser.labelName(i));
                    blackhole.consume(parser.labelValue(i));
                }
                blackhole.consume(parser.value());
                blackhole.consume(parser.hasTimestamp() ? parser.timestampMillis() : 0L);
            } else {
                blackhole.consume(e);
            }
        }
    }

    /** Parsing plus building the Avro series a ScrapeBatch carries (what a scrape costs before Kafka). */
    @Benchmark
    @OperationsPerInvocation(SERIES)
    public void parseIntoBatch(Blackhole blackhole) throws ExpositionFormatException {
        List<RawSeries> series = new ArrayList<>(SERIES);
        Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
        builder.parse(exposition.parser(body, body.length, strings), 1_700_000_000_000L, series, metadata);
        blackhole.consume(series);
        blackhole.consume(metadata);
    }
}

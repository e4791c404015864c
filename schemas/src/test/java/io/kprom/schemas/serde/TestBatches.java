package io.kprom.schemas.serde;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.AlertState;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.Exemplar;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Realistic test values for every topic. */
public final class TestBatches {
    private TestBatches() {
    }

    /** One scrape of {@code seriesCount} series, like a node exporter with many CPUs and disks. */
    public static ScrapeBatch scrapeBatch(int seriesCount) {
        long now = 1_764_400_000_000L;
        List<RawSeries> series = new ArrayList<>(seriesCount);
        for (int i = 0; i < seriesCount; i++) {
            RawSeries.Builder one = RawSeries.newBuilder()
                    .setLabels(List.of("__name__", "node_cpu_seconds_total", "cpu", Integer.toString(i / 8),
                            "instance", "10.0.0.1:9100", "job", "node", "mode", "mode" + (i % 8)))
                    .setTimestamps(List.of(now))
                    .setValues(List.of(i * 1.5 + 0.25));
            if (i % 1000 == 0) {
                one.setCreatedTimestampMillis(now - 3_600_000L)
                        .setExemplars(List.of(Exemplar.newBuilder().setLabels(List.of("trace_id", "abc" + i)).setValue(i)
                                .setTimestampMillis(now).build()));
            }
            series.add(one.build());
        }
        return ScrapeBatch.newBuilder()
                .setSource(BatchSource.SCRAPE)
                .setTarget(ScrapeTarget.newBuilder().setJob("node").setInstance("10.0.0.1:9100")
                        .setLabels(List.of("instance", "10.0.0.1:9100", "job", "node"))
                        .setScrapeIntervalMillis(15_000).setScrapeTimeoutMillis(10_000).build())
                .setScrapeTimestampMillis(now)
                .setOutcome(ScrapeOutcome.newBuilder().setOk(true).setDurationSeconds(0.012).setBodyBytes(812_345)
                        .setContentType("text/plain; version=0.0.4").build())
                .setSeries(series)
                .setMetadata(List.of(MetricMetadata.newBuilder().setMetricFamily("node_cpu_seconds_total")
                        .setType(MetricType.COUNTER).setHelp("Seconds the CPUs spent in each mode.").build()))
                .build();
    }

    public static SeriesBatch seriesBatch() {
        return SeriesBatch.newBuilder().setSeries(List.of(Series.newBuilder()
                .setLabels(List.of("__name__", "up", "instance", "a:1", "job", "x"))
                .setTimestamps(List.of(1L, 2L)).setValues(List.of(1.0, Double.longBitsToDouble(0x7ff0000000000002L)))
                .build())).build();
    }

    public static MetricMetadata metricMetadata() {
        return MetricMetadata.newBuilder().setMetricFamily("http_requests").setType(MetricType.COUNTER)
                .setHelp("Requests served.").setUnit("requests").build();
    }

    public static AlertEvent alertEvent() {
        return AlertEvent.newBuilder().setFingerprint("0f1e2d3c").setAlertname("HighLatency")
                .setLabels(List.of("alertname", "HighLatency", "severity", "page"))
                .setAnnotations(Map.of("summary", "p99 above 1s"))
                .setState(AlertState.FIRING).setPreviousState(AlertState.PENDING).setValue(1.7)
                .setActiveAtMillis(1000L).setFiredAtMillis(2000L).setEventTimestampMillis(2000L).build();
    }
}

package io.kprom.scraper.parse;

import com.google.protobuf.Timestamp;
import io.kprom.scraper.parse.proto.MetricsProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Our own encoder for the protobuf exposition: length-delimited MetricFamily messages. */
final class ProtobufPayloads {
    private ProtobufPayloads() {
    }

    static byte[] delimited(List<MetricsProto.MetricFamily> families) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            for (MetricsProto.MetricFamily family : families) {
                family.writeDelimitedTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static MetricsProto.LabelPair label(String name, String value) {
        return MetricsProto.LabelPair.newBuilder().setName(name).setValue(value).build();
    }

    /** A counter with an exemplar, a gauge with a timestamp, an untyped, a summary and a classic histogram. */
    static List<MetricsProto.MetricFamily> sample() {
        MetricsProto.Exemplar exemplar = MetricsProto.Exemplar.newBuilder().addLabel(label("trace_id", "abc"))
                .setValue(0.067).setTimestamp(Timestamp.newBuilder().setSeconds(1520879602).setNanos(100_000_000)).build();
        return List.of(
                MetricsProto.MetricFamily.newBuilder().setName("http_requests_total").setHelp("Requests served.")
                        .setType(MetricsProto.MetricType.COUNTER)
                        .addMetric(MetricsProto.Metric.newBuilder().addLabel(label("code", "200")).addLabel(label("method", "get"))
                                .setCounter(MetricsProto.Counter.newBuilder().setValue(1027).setExemplar(exemplar)))
                        .addMetric(MetricsProto.Metric.newBuilder().addLabel(label("code", "500")).addLabel(label("method", "post"))
                                .setCounter(MetricsProto.Counter.newBuilder().setValue(3)))
                        .build(),
                MetricsProto.MetricFamily.newBuilder().setName("temperature_celsius").setType(MetricsProto.MetricType.GAUGE)
                        .setUnit("celsius")
                        .addMetric(MetricsProto.Metric.newBuilder().setTimestampMs(1395066363000L)
                                .setGauge(MetricsProto.Gauge.newBuilder().setValue(-2.5)))
                        .build(),
                MetricsProto.MetricFamily.newBuilder().setName("legacy").setType(MetricsProto.MetricType.UNTYPED)
                        .addMetric(MetricsProto.Metric.newBuilder().setUntyped(MetricsProto.Untyped.newBuilder().setValue(Double.NaN)))
                        .build(),
                MetricsProto.MetricFamily.newBuilder().setName("rpc_duration_seconds").setHelp("RPC latency.")
                        .setType(MetricsProto.MetricType.SUMMARY)
                        .addMetric(MetricsProto.Metric.newBuilder().setSummary(MetricsProto.Summary.newBuilder()
                                .setSampleCount(2693).setSampleSum(17560473)
                                .addQuantile(MetricsProto.Quantile.newBuilder().setQuantile(0.5).setValue(4773))
                                .addQuantile(MetricsProto.Quantile.newBuilder().setQuantile(0.99).setValue(76656))))
                        .build(),
                MetricsProto.MetricFamily.newBuilder().setName("request_seconds").setHelp("Request latency.")
                        .setType(MetricsProto.MetricType.HISTOGRAM)
                        .addMetric(MetricsProto.Metric.newBuilder().addLabel(label("path", "/"))
                                .setHistogram(MetricsProto.Histogram.newBuilder().setSampleCount(144320).setSampleSum(53423)
                                        .addBucket(MetricsProto.Bucket.newBuilder().setUpperBound(0.05).setCumulativeCount(24054))
                                        .addBucket(MetricsProto.Bucket.newBuilder().setUpperBound(1).setCumulativeCount(100392)
                                                .setExemplar(exemplar))
                                        .addBucket(MetricsProto.Bucket.newBuilder().setUpperBound(1e-5).setCumulativeCount(0))))
                        .build());
    }
}

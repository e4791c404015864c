package io.kprom.scraper.remotewrite;

import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import io.kprom.schemas.remotewrite.v2.RemoteWriteV2;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.xerial.snappy.Snappy;

/** Encodes remote-write requests as a sender would (our own test requests). */
final class RemoteWriteRequests {
    private RemoteWriteRequests() {
    }

    static RemoteWriteV1.TimeSeries v1Series(double value, long timestamp, String... labels) {
        RemoteWriteV1.TimeSeries.Builder series = RemoteWriteV1.TimeSeries.newBuilder();
        for (int i = 0; i < labels.length; i += 2) {
            series.addLabels(RemoteWriteV1.Label.newBuilder().setName(labels[i]).setValue(labels[i + 1]));
        }
        return series.addSamples(RemoteWriteV1.Sample.newBuilder().setValue(value).setTimestamp(timestamp)).build();
    }

    static byte[] v1(RemoteWriteV1.TimeSeries... series) {
        RemoteWriteV1.WriteRequest.Builder request = RemoteWriteV1.WriteRequest.newBuilder();
        for (RemoteWriteV1.TimeSeries s : series) {
            request.addTimeseries(s);
        }
        request.addMetadata(RemoteWriteV1.MetricMetadata.newBuilder().setMetricFamilyName("http_requests_total")
                .setType(RemoteWriteV1.MetricMetadata.MetricType.COUNTER).setHelp("Requests.").setUnit(""));
        return snappy(request.build().toByteArray());
    }

    /** symbols: "", __name__, http_requests_total, job, api, Requests., trace_id, abc, bad */
    static byte[] v2(boolean withInvalid) {
        RemoteWriteV2.Request.Builder request = RemoteWriteV2.Request.newBuilder()
                .addSymbols("").addSymbols("__name__").addSymbols("http_requests_total").addSymbols("job")
                .addSymbols("api").addSymbols("Requests.").addSymbols("trace_id").addSymbols("abc");
        request.addTimeseries(RemoteWriteV2.TimeSeries.newBuilder()
                .addLabelsRefs(1).addLabelsRefs(2).addLabelsRefs(3).addLabelsRefs(4)
                .addSamples(RemoteWriteV2.Sample.newBuilder().setValue(7).setTimestamp(1000))
                .addSamples(RemoteWriteV2.Sample.newBuilder().setValue(8).setTimestamp(2000))
                .addExemplars(RemoteWriteV2.Exemplar.newBuilder().addLabelsRefs(6).addLabelsRefs(7).setValue(1).setTimestamp(1500))
                .setMetadata(RemoteWriteV2.Metadata.newBuilder().setType(RemoteWriteV2.Metadata.MetricType.METRIC_TYPE_COUNTER)
                        .setHelpRef(5).setUnitRef(0))
                .setCreatedTimestamp(500));
        request.addTimeseries(RemoteWriteV2.TimeSeries.newBuilder()
                .addLabelsRefs(1).addLabelsRefs(2)
                .addHistograms(RemoteWriteV2.Histogram.newBuilder().setCountInt(3).setSum(4.5).setSchema(0)
                        .setZeroThreshold(1e-128).setZeroCountInt(1)
                        .addPositiveSpans(RemoteWriteV2.BucketSpan.newBuilder().setOffset(0).setLength(2))
                        .addPositiveDeltas(1).addPositiveDeltas(0).setTimestamp(3000)));
        if (withInvalid) {
            request.addTimeseries(RemoteWriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(99)
                    .addSamples(RemoteWriteV2.Sample.newBuilder().setValue(1).setTimestamp(1)));
        }
        return snappy(request.build().toByteArray());
    }

    static byte[] snappy(byte[] raw) {
        try {
            return Snappy.compress(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

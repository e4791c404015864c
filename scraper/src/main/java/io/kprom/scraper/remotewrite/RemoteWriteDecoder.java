package io.kprom.scraper.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.Exemplar;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.NativeHistogram;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import io.kprom.schemas.remotewrite.v2.RemoteWriteV2;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Decodes Remote Write 1.0 ({@code prometheus.WriteRequest}) and 2.0 ({@code io.prometheus.write.v2.Request})
 * bodies into a {@link ScrapeBatch} with source {@code REMOTE_WRITE} and no target, keeping the sender's
 * labels as they are. Content negotiation per the specs: {@code application/x-protobuf} (1.0 when no
 * {@code proto} parameter or {@code proto=prometheus.WriteRequest}, 2.0 with
 * {@code proto=io.prometheus.write.v2.Request}), {@code Content-Encoding: snappy} (missing means snappy);
 * anything else is 415. Undecodable bodies are 400. Series with invalid labels are skipped and
 * reported in {@link Decoded#invalid()} (the valid ones are still written). Stateless.
 */
public final class RemoteWriteDecoder {
    /** Which protocol a request used. */
    public enum Version { V1, V2 }

    /** The decoded batch, what it holds, and the series rejected as invalid (with the first reason). */
    public record Decoded(Version version, ScrapeBatch batch, long samples, long histograms, long exemplars,
            int invalid, String firstError) {
    }

    private RemoteWriteDecoder() {
    }

    public static Version negotiate(String contentType, String contentEncoding) throws RemoteWriteException {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (!encoding.isEmpty() && !encoding.equals("snappy")) {
            throw new RemoteWriteException(415, "unsupported Content-Encoding \"" + contentEncoding
                    + "\"; only snappy is supported");
        }
        if (contentType == null || contentType.isBlank()) {
            return Version.V1;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/x-protobuf")) {
            throw new RemoteWriteException(415, "unsupported Content-Type \"" + contentType
                    + "\"; expected application/x-protobuf");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("proto")) {
                String proto = kv[1].trim();
                if (proto.equals("prometheus.WriteRequest")) {
                    return Version.V1;
                }
                if (proto.equals("io.prometheus.write.v2.Request")) {
                    return Version.V2;
                }
                throw new RemoteWriteException(415, "unsupported proto \"" + proto + "\"; expected prometheus.WriteRequest"
                        + " or io.prometheus.write.v2.Request");
            }
        }
        return Version.V1;
    }

    public static Decoded decode(Version version, byte[] compressed, long receivedMillis) throws RemoteWriteException {
        byte[] body;
        try {
            body = Snappy.uncompress(compressed);
        } catch (IOException | RuntimeException e) {
            throw new RemoteWriteException(400, "cannot decompress snappy body: " + e.getMessage());
        }
        try {
            return version == Version.V1 ? decodeV1(RemoteWriteV1.WriteRequest.parseFrom(body), receivedMillis)
                    : decodeV2(RemoteWriteV2.Request.parseFrom(body), receivedMillis);
        } catch (InvalidProtocolBufferException e) {
            throw new RemoteWriteException(400, "cannot decode protobuf body: " + e.getMessage());
        }
    }

    private static final class Counts {
        long samples;
        long histograms;
        long exemplars;
        int invalid;
        String firstError;

        void invalid(String error) {
            invalid++;
            if (firstError == null) {
                firstError = error;
            }
        }
    }

    static Decoded decodeV1(RemoteWriteV1.WriteRequest request, long receivedMillis) {
        Counts counts = new Counts();
        List<RawSeries> series = new ArrayList<>(request.getTimeseriesCount());
        for (RemoteWriteV1.TimeSeries ts : request.getTimeseriesList()) {
            List<String> labels = new ArrayList<>(ts.getLabelsCount() * 2);
            for (RemoteWriteV1.Label label : ts.getLabelsList()) {
                labels.add(label.getName());
                labels.add(label.getValue());
            }
            String error = validateLabels(labels);
            if (error != null) {
                counts.invalid(error);
                continue;
            }
            List<Long> timestamps = new ArrayList<>(ts.getSamplesCount());
            List<Double> values = new ArrayList<>(ts.getSamplesCount());
            for (RemoteWriteV1.Sample sample : ts.getSamplesList()) {
                timestamps.add(sample.getTimestamp());
                values.add(sample.getValue());
            }
            List<Exemplar> exemplars = null;
            if (ts.getExemplarsCount() > 0) {
                exemplars = new ArrayList<>();
                for (RemoteWriteV1.Exemplar e : ts.getExemplarsList()) {
                    List<String> exemplarLabels = new ArrayList<>();
                    for (RemoteWriteV1.Label label : e.getLabelsList()) {
                        exemplarLabels.add(label.getName());
                        exemplarLabels.add(label.getValue());
                    }
                    exemplars.add(new Exemplar(exemplarLabels, e.getValue(), e.getTimestamp()));
                }
            }
            List<NativeHistogram> histograms = null;
            if (ts.getHistogramsCount() > 0) {
                histograms = new ArrayList<>();
                for (RemoteWriteV1.Histogram h : ts.getHistogramsList()) {
                    histograms.add(histogramV1(h));
                }
            }
            counts.samples += ts.getSamplesCount();
            counts.histograms += ts.getHistogramsCount();
            counts.exemplars += ts.getExemplarsCount();
            series.add(new RawSeries(labels, timestamps, values, true, null, exemplars, histograms));
        }
        List<MetricMetadata> metadata = new ArrayList<>();
        for (RemoteWriteV1.MetricMetadata m : request.getMetadataList()) {
            metadata.add(new MetricMetadata(m.getMetricFamilyName(), type(m.getTypeValue()), m.getHelp(), m.getUnit()));
        }
        return new Decoded(Version.V1, batch(series, metadata, receivedMillis), counts.samples, counts.histograms,
                counts.exemplars, counts.invalid, counts.firstError);
    }

    static Decoded decodeV2(RemoteWriteV2.Request request, long receivedMillis) throws RemoteWriteException {
        List<String> symbols = request.getSymbolsList();
        if (!symbols.isEmpty() && !symbols.get(0).isEmpty()) {
            throw new RemoteWriteException(400, "symbols[0] must be the empty string");
        }
        Counts counts = new Counts();
        List<RawSeries> series = new ArrayList<>(request.getTimeseriesCount());
        Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
        for (RemoteWriteV2.TimeSeries ts : request.getTimeseriesList()) {
            List<String> labels = resolve(ts.getLabelsRefsList(), symbols);
            String error = labels == null ? "label reference out of range of the symbols table" : validateLabels(labels);
            if (error != null) {
                counts.invalid(error);
                continue;
            }
            if (ts.getSamplesCount() > 0 && ts.getHistogramsCount() > 0) {
                counts.invalid("series " + labels + " has both samples and histograms");
                continue;
            }
            List<Long> timestamps = new ArrayList<>(ts.getSamplesCount());
            List<Double> values = new ArrayList<>(ts.getSamplesCount());
            for (RemoteWriteV2.Sample sample : ts.getSamplesList()) {
                timestamps.add(sample.getTimestamp());
                values.add(sample.getValue());
            }
            List<Exemplar> exemplars = null;
            if (ts.getExemplarsCount() > 0) {
                exemplars = new ArrayList<>();
                for (RemoteWriteV2.Exemplar e : ts.getExemplarsList()) {
                    List<String> exemplarLabels = resolve(e.getLabelsRefsList(), symbols);
                    if (exemplarLabels == null) {
                        counts.invalid("exemplar label reference out of range of the symbols table");
                        continue;
                    }
                    exemplars.add(new Exemplar(exemplarLabels, e.getValue(), e.getTimestamp() == 0 ? null : e.getTimestamp()));
                }
                counts.exemplars += exemplars.size();
            }
            List<NativeHistogram> histograms = null;
            if (ts.getHistogramsCount() > 0) {
                histograms = new ArrayList<>();
                for (RemoteWriteV2.Histogram h : ts.getHistogramsList()) {
                    histograms.add(histogramV2(h));
                }
            }
            if (ts.hasMetadata()) {
                RemoteWriteV2.Metadata m = ts.getMetadata();
                String name = nameOf(labels);
                String help = symbol(symbols, m.getHelpRef());
                String unit = symbol(symbols, m.getUnitRef());
                if (name != null && help != null && unit != null
                        && (m.getTypeValue() != 0 || !help.isEmpty() || !unit.isEmpty())) {
                    metadata.putIfAbsent(name, new MetricMetadata(name, type(m.getTypeValue()), help, unit));
                }
            }
            counts.samples += ts.getSamplesCount();
            counts.histograms += ts.getHistogramsCount();
            series.add(new RawSeries(labels, timestamps, values, true,
                    ts.getCreatedTimestamp() == 0 ? null : ts.getCreatedTimestamp(), exemplars, histograms));
        }
        return new Decoded(Version.V2, batch(series, new ArrayList<>(metadata.values()), receivedMillis), counts.samples,
                counts.histograms, counts.exemplars, counts.invalid, counts.firstError);
    }

    private static ScrapeBatch batch(List<RawSeries> series, List<MetricMetadata> metadata, long receivedMillis) {
        return new ScrapeBatch(BatchSource.REMOTE_WRITE, null, receivedMillis,
                new ScrapeOutcome(true, null, 0.0, 0L, ""), series, metadata);
    }

    private static List<String> resolve(List<Integer> refs, List<String> symbols) {
        if (refs.size() % 2 != 0) {
            return null;
        }
        List<String> out = new ArrayList<>(refs.size());
        for (int ref : refs) {
            String s = symbol(symbols, ref);
            if (s == null) {
                return null;
            }
            out.add(s);
        }
        return out;
    }

    private static String symbol(List<String> symbols, int ref) {
        return ref >= 0 && ref < symbols.size() ? symbols.get(ref) : null;
    }

    private static String nameOf(List<String> labels) {
        for (int i = 0; i < labels.size(); i += 2) {
            if (labels.get(i).equals("__name__")) {
                return labels.get(i + 1);
            }
        }
        return null;
    }

    /** Null when valid: a metric name, non-empty unique names in sorted order. */
    static String validateLabels(List<String> labels) {
        if (labels.isEmpty()) {
            return "series without labels";
        }
        boolean hasName = false;
        for (int i = 0; i < labels.size(); i += 2) {
            String name = labels.get(i);
            if (name.isEmpty()) {
                return "empty label name in " + labels;
            }
            if (i >= 2 && labels.get(i - 2).compareTo(name) >= 0) {
                return "labels not sorted or duplicate label name \"" + name + "\" in " + labels;
            }
            if (name.equals("__name__") && !labels.get(i + 1).isEmpty()) {
                hasName = true;
            }
        }
        return hasName ? null : "series without metric name " + labels;
    }

    private static MetricType type(int value) {
        return switch (value) {
            case 1 -> MetricType.COUNTER;
            case 2 -> MetricType.GAUGE;
            case 3 -> MetricType.HISTOGRAM;
            case 4 -> MetricType.GAUGEHISTOGRAM;
            case 5 -> MetricType.SUMMARY;
            case 6 -> MetricType.INFO;
            case 7 -> MetricType.STATESET;
            default -> MetricType.UNKNOWN;
        };
    }

    private static NativeHistogram histogramV1(RemoteWriteV1.Histogram h) {
        boolean integer = h.getCountCase() != RemoteWriteV1.Histogram.CountCase.COUNT_FLOAT;
        List<Integer> positiveSpans = new ArrayList<>();
        for (RemoteWriteV1.BucketSpan span : h.getPositiveSpansList()) {
            positiveSpans.add(span.getOffset());
            positiveSpans.add(span.getLength());
        }
        List<Integer> negativeSpans = new ArrayList<>();
        for (RemoteWriteV1.BucketSpan span : h.getNegativeSpansList()) {
            negativeSpans.add(span.getOffset());
            negativeSpans.add(span.getLength());
        }
        return new NativeHistogram(h.getTimestamp(), h.getSchema(), h.getZeroThreshold(),
                integer ? (double) h.getZeroCountInt() : h.getZeroCountFloat(),
                integer ? (double) h.getCountInt() : h.getCountFloat(), h.getSum(), positiveSpans,
                integer ? toDoubles(h.getPositiveDeltasList()) : new ArrayList<>(h.getPositiveCountsList()), negativeSpans,
                integer ? toDoubles(h.getNegativeDeltasList()) : new ArrayList<>(h.getNegativeCountsList()), integer,
                h.getResetHintValue());
    }

    private static NativeHistogram histogramV2(RemoteWriteV2.Histogram h) {
        boolean integer = h.getCountCase() != RemoteWriteV2.Histogram.CountCase.COUNT_FLOAT;
        List<Integer> positiveSpans = new ArrayList<>();
        for (RemoteWriteV2.BucketSpan span : h.getPositiveSpansList()) {
            positiveSpans.add(span.getOffset());
            positiveSpans.add(span.getLength());
        }
        List<Integer> negativeSpans = new ArrayList<>();
        for (RemoteWriteV2.BucketSpan span : h.getNegativeSpansList()) {
            negativeSpans.add(span.getOffset());
            negativeSpans.add(span.getLength());
        }
        return new NativeHistogram(h.getTimestamp(), h.getSchema(), h.getZeroThreshold(),
                integer ? (double) h.getZeroCountInt() : h.getZeroCountFloat(),
                integer ? (double) h.getCountInt() : h.getCountFloat(), h.getSum(), positiveSpans,
                integer ? toDoubles(h.getPositiveDeltasList()) : new ArrayList<>(h.getPositiveCountsList()), negativeSpans,
                integer ? toDoubles(h.getNegativeDeltasList()) : new ArrayList<>(h.getNegativeCountsList()), integer,
                h.getResetHintValue());
    }

    private static List<Double> toDoubles(List<Long> values) {
        List<Double> out = new ArrayList<>(values.size());
        for (long v : values) {
            out.add((double) v);
        }
        return out;
    }
}

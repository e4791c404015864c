package io.kprom.schemas.serde;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.Exemplar;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.NativeHistogram;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The {@link BodyCodec}s of {@link ScrapeBatch} and {@link SeriesBatch}, field by field in schema
 * order (see {@code schemas/src/main/avro}). A schema change must change these too:
 * {@code FastBodiesTest} compares them byte for byte with Avro's own writer and reader.
 */
final class FastBodies {
    private static final BatchSource[] SOURCES = BatchSource.values();
    private static final MetricType[] TYPES = MetricType.values();

    private FastBodies() {
    }

    /** The hand-written codec for this schema, or null when it has none. */
    @SuppressWarnings("unchecked")
    static <T> BodyCodec<T> forSchema(Schema schema) {
        if (schema.equals(ScrapeBatch.getClassSchema())) {
            return (BodyCodec<T>) SCRAPE_BATCH;
        }
        if (schema.equals(SeriesBatch.getClassSchema())) {
            return (BodyCodec<T>) SERIES_BATCH;
        }
        return null;
    }

    static final BodyCodec<SeriesBatch> SERIES_BATCH = new BodyCodec<>() {
        @Override
        public void write(SeriesBatch value, AvroBinaryOutput out) {
            List<Series> series = value.getSeries();
            int size = series.size();
            if (size > 0) {
                out.writeLong(size);
                for (int i = 0; i < size; i++) {
                    writeSeries(series.get(i), out);
                }
            }
            out.writeLong(0);
        }

        @Override
        public SeriesBatch read(AvroBinaryInput in) {
            long count = in.readBlockCount();
            List<Series> series = new ArrayList<>((int) count);
            while (count > 0) {
                for (long i = 0; i < count; i++) {
                    series.add(new Series(in.readStringArray(), in.readLongArray(), in.readDoubleArray(),
                            readExemplars(in), readHistograms(in)));
                }
                count = in.readBlockCount();
            }
            return new SeriesBatch(series);
        }
    };

    static final BodyCodec<ScrapeBatch> SCRAPE_BATCH = new BodyCodec<>() {
        @Override
        public void write(ScrapeBatch value, AvroBinaryOutput out) {
            out.writeInt(value.getSource().ordinal());
            ScrapeTarget target = value.getTarget();
            if (target == null) {
                out.writeInt(0);
            } else {
                out.writeInt(1);
                out.writeString(target.getJob());
                out.writeString(target.getInstance());
                out.writeStringArray(target.getLabels());
                out.writeLong(target.getScrapeIntervalMillis());
                out.writeLong(target.getScrapeTimeoutMillis());
            }
            out.writeLong(value.getScrapeTimestampMillis());
            ScrapeOutcome outcome = value.getOutcome();
            out.writeBoolean(outcome.getOk());
            writeNullableString(outcome.getError(), out);
            out.writeDouble(outcome.getDurationSeconds());
            out.writeLong(outcome.getBodyBytes());
            out.writeString(outcome.getContentType());
            List<RawSeries> series = value.getSeries();
            int size = series.size();
            if (size > 0) {
                out.writeLong(size);
                for (int i = 0; i < size; i++) {
                    RawSeries raw = series.get(i);
                    out.writeStringArray(raw.getLabels());
                    out.writeLongArray(raw.getTimestamps());
                    out.writeDoubleArray(raw.getValues());
                    out.writeBoolean(raw.getExplicitTimestamps());
                    Long created = raw.getCreatedTimestampMillis();
                    if (created == null) {
                        out.writeInt(0);
                    } else {
                        out.writeInt(1);
                        out.writeLong(created);
                    }
                    writeExemplars(raw.getExemplars(), out);
                    writeHistograms(raw.getHistograms(), out);
                }
            }
            out.writeLong(0);
            List<MetricMetadata> metadata = value.getMetadata();
            if (!metadata.isEmpty()) {
                out.writeLong(metadata.size());
                for (MetricMetadata entry : metadata) {
                    out.writeString(entry.getMetricFamily());
                    out.writeInt(entry.getType().ordinal());
                    out.writeString(entry.getHelp());
                    out.writeString(entry.getUnit());
                }
            }
            out.writeLong(0);
        }

        @Override
        public ScrapeBatch read(AvroBinaryInput in) {
            BatchSource source = SOURCES[in.readIndex(SOURCES.length)];
            ScrapeTarget target = null;
            if (in.readIndex(2) == 1) {
                target = new ScrapeTarget(in.readString(), in.readString(), in.readStringArray(), in.readLong(), in.readLong());
            }
            long timestamp = in.readLong();
            ScrapeOutcome outcome = new ScrapeOutcome(in.readBoolean(), readNullableString(in), in.readDouble(), in.readLong(),
                    in.readString());
            long count = in.readBlockCount();
            List<RawSeries> series = new ArrayList<>((int) count);
            while (count > 0) {
                for (long i = 0; i < count; i++) {
                    List<String> labels = in.readStringArray();
                    List<Long> timestamps = in.readLongArray();
                    List<Double> values = in.readDoubleArray();
                    boolean explicit = in.readBoolean();
                    Long created = in.readIndex(2) == 1 ? in.readLong() : null;
                    series.add(new RawSeries(labels, timestamps, values, explicit, created, readExemplars(in),
                            readHistograms(in)));
                }
                count = in.readBlockCount();
            }
            count = in.readBlockCount();
            List<MetricMetadata> metadata = new ArrayList<>((int) count);
            while (count > 0) {
                for (long i = 0; i < count; i++) {
                    metadata.add(new MetricMetadata(in.readString(), TYPES[in.readIndex(TYPES.length)], in.readString(),
                            in.readString()));
                }
                count = in.readBlockCount();
            }
            return new ScrapeBatch(source, target, timestamp, outcome, series, metadata);
        }
    };

    private static void writeSeries(Series series, AvroBinaryOutput out) {
        out.writeStringArray(series.getLabels());
        out.writeLongArray(series.getTimestamps());
        out.writeDoubleArray(series.getValues());
        writeExemplars(series.getExemplars(), out);
        writeHistograms(series.getHistograms(), out);
    }

    private static void writeNullableString(String value, AvroBinaryOutput out) {
        if (value == null) {
            out.writeInt(0);
        } else {
            out.writeInt(1);
            out.writeString(value);
        }
    }

    private static String readNullableString(AvroBinaryInput in) {
        return in.readIndex(2) == 1 ? in.readString() : null;
    }

    private static void writeExemplars(List<Exemplar> exemplars, AvroBinaryOutput out) {
        if (exemplars == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(1);
        if (!exemplars.isEmpty()) {
            out.writeLong(exemplars.size());
            for (Exemplar exemplar : exemplars) {
                out.writeStringArray(exemplar.getLabels());
                out.writeDouble(exemplar.getValue());
                Long timestamp = exemplar.getTimestampMillis();
                if (timestamp == null) {
                    out.writeInt(0);
                } else {
                    out.writeInt(1);
                    out.writeLong(timestamp);
                }
            }
        }
        out.writeLong(0);
    }

    private static List<Exemplar> readExemplars(AvroBinaryInput in) {
        if (in.readIndex(2) == 0) {
            return null;
        }
        long count = in.readBlockCount();
        List<Exemplar> exemplars = new ArrayList<>((int) count);
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                List<String> labels = in.readStringArray();
                double value = in.readDouble();
                Long timestamp = in.readIndex(2) == 1 ? in.readLong() : null;
                exemplars.add(new Exemplar(labels, value, timestamp));
            }
            count = in.readBlockCount();
        }
        return exemplars;
    }

    private static void writeHistograms(List<NativeHistogram> histograms, AvroBinaryOutput out) {
        if (histograms == null) {
            out.writeInt(0);
            return;
        }
        out.writeInt(1);
        if (!histograms.isEmpty()) {
            out.writeLong(histograms.size());
            for (NativeHistogram h : histograms) {
                out.writeLong(h.getTimestampMillis());
                out.writeInt(h.getSchema$());
                out.writeDouble(h.getZeroThreshold());
                out.writeDouble(h.getZeroCount());
                out.writeDouble(h.getCount());
                out.writeDouble(h.getSum());
                out.writeIntArray(h.getPositiveSpans());
                out.writeDoubleArray(h.getPositiveBuckets());
                out.writeIntArray(h.getNegativeSpans());
                out.writeDoubleArray(h.getNegativeBuckets());
                out.writeBoolean(h.getIntegerCounts());
                out.writeInt(h.getResetHint());
            }
        }
        out.writeLong(0);
    }

    private static List<NativeHistogram> readHistograms(AvroBinaryInput in) {
        if (in.readIndex(2) == 0) {
            return null;
        }
        long count = in.readBlockCount();
        List<NativeHistogram> histograms = new ArrayList<>((int) count);
        while (count > 0) {
            for (long i = 0; i < count; i++) {
                histograms.add(new NativeHistogram(in.readLong(), in.readInt(), in.readDouble(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readIntArray(), in.readDoubleArray(), in.readIntArray(),
                        in.readDoubleArray(), in.readBoolean(), in.readInt()));
            }
            count = in.readBlockCount();
        }
        return histograms;
    }
}

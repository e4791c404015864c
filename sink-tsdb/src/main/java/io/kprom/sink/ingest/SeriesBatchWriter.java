package io.kprom.sink.ingest;

import io.kprom.common.labels.Labels;
import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.sink.storage.Appender;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends the float samples of one {@link SeriesBatch} through an {@link Appender}, reusing its
 * sample arrays across series. Invalid series (no labels, timestamps and values of different length)
 * and native histograms (not stored yet) are dropped and counted. Not thread-safe.
 */
final class SeriesBatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesBatchWriter.class);
    private long[] timestamps = new long[64];
    private double[] values = new double[64];
    private long dropped;

    /** Samples dropped as invalid since this writer was created (also counted in the self-metric). */
    long dropped() {
        return dropped;
    }

    /** Returns the number of samples the store accepted. */
    long write(SeriesBatch batch, Appender appender) {
        long stored = 0;
        for (Series series : batch.getSeries()) {
            List<Long> ts = series.getTimestamps();
            List<Double> vs = series.getValues();
            if (series.getHistograms() != null && !series.getHistograms().isEmpty()) {
                IngestMetrics.SAMPLES_DROPPED.labelValues("native_histogram_unsupported").inc(series.getHistograms().size());
                dropped += series.getHistograms().size();
            }
            if (ts.size() != vs.size()) {
                IngestMetrics.SAMPLES_DROPPED.labelValues("timestamps_values_mismatch").inc(Math.max(ts.size(), vs.size()));
                dropped += Math.max(ts.size(), vs.size());
                continue;
            }
            if (ts.isEmpty()) {
                continue;
            }
            Labels labels;
            try {
                if (series.getLabels().size() % 2 != 0) {
                    // Labels.fromList accepts an odd-length sorted list without complaint; reject it here.
                    throw new IllegalArgumentException("odd label list");
                }
                labels = Labels.fromList(series.getLabels());
            } catch (IllegalArgumentException e) {
                IngestMetrics.SAMPLES_DROPPED.labelValues("invalid_labels").inc(ts.size());
                dropped += ts.size();
                continue;
            }
            if (labels.isEmpty()) {
                IngestMetrics.SAMPLES_DROPPED.labelValues("empty_labels").inc(ts.size());
                dropped += ts.size();
                continue;
            }
            int n = ts.size();
            if (timestamps.length < n) {
                timestamps = new long[Math.max(n, timestamps.length * 2)];
                values = new double[timestamps.length];
            }
            for (int i = 0; i < n; i++) {
                timestamps[i] = ts.get(i);
                values[i] = vs.get(i);
            }
            long appended = appender.append(labels, timestamps, values, n);
            stored += appended;
            if (appended < n && LOG.isDebugEnabled()) {
                // Which series lost what: the store counts the reasons, this names the series (debug only: can be many).
                LOG.debug("{} of {} samples of {} at {}..{} not stored (rejected or identical duplicates; see"
                        + " kprom_tsdb_samples_rejected_total)", n - appended, n, labels, timestamps[0], timestamps[n - 1]);
            }
        }
        return stored;
    }
}

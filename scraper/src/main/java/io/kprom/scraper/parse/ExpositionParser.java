package io.kprom.scraper.parse;

import io.kprom.schemas.avro.MetricType;

/**
 * A pull cursor over one scrape body: each {@link #next()} call advances to the next entry and the
 * accessors describe that entry until the following call.
 *
 * <pre>{@code
 * ExpositionParser parser = ExpositionFormat.OPENMETRICS_1_0.parser(body, length, strings);
 * for (Entry e = parser.next(); e != null; e = parser.next()) {
 *     if (e == Entry.SERIES) {
 *         String name = parser.metricName();
 *         double value = parser.value();
 *     }
 * }
 * }</pre>
 *
 * <p>No allocation per sample on the hot path: names and values come from a {@link StringTable}
 * that the caller keeps across scrapes of one target, so a repeated label value is the same
 * {@code String} instance each time. Not thread-safe; one parser per body. The parser reads but never
 * modifies the byte array it was given, and the caller must not change it while parsing.
 *
 * <p>Every syntax error is an {@link ExpositionFormatException} naming the line; no other exception
 * escapes {@link #next()}.
 */
public interface ExpositionParser {

    /** What the cursor stands on after {@link #next()}. */
    enum Entry {
        /** A sample line: {@link #metricName()}, labels, {@link #value()}, optional timestamp and exemplar. */
        SERIES,
        /** {@code # HELP}: {@link #familyName()} and {@link #help()}. */
        HELP,
        /** {@code # TYPE}: {@link #familyName()} and {@link #type()}. */
        TYPE,
        /** {@code # UNIT} (OpenMetrics): {@link #familyName()} and {@link #unit()}. */
        UNIT,
        /** Any other comment line (Prometheus text only); carries nothing. */
        COMMENT
    }

    /** Advances to the next entry; returns null at the end of the body. */
    Entry next() throws ExpositionFormatException;

    /** 1-based line number of the current entry. */
    int lineNumber();

    /** Family name of the current HELP, TYPE or UNIT entry. */
    String familyName();

    /** Unescaped help text of the current HELP entry. */
    String help();

    /** Type of the current TYPE entry ({@code untyped} is {@link MetricType#UNKNOWN}). */
    MetricType type();

    /** Unit of the current UNIT entry. */
    String unit();

    /** Metric name of the current SERIES entry. */
    String metricName();

    /** Number of labels (without the metric name) of the current SERIES entry, in exposition order. */
    int labelCount();

    String labelName(int index);

    String labelValue(int index);

    double value();

    boolean hasTimestamp();

    /** Explicit timestamp in milliseconds (OpenMetrics seconds are converted). */
    long timestampMillis();

    /** Whether the current SERIES entry carries an exemplar (OpenMetrics only). */
    boolean hasExemplar();

    int exemplarLabelCount();

    String exemplarLabelName(int index);

    String exemplarLabelValue(int index);

    double exemplarValue();

    boolean exemplarHasTimestamp();

    long exemplarTimestampMillis();
}

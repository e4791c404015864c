package io.kprom.scraper.parse;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Timestamp;
import io.kprom.schemas.avro.MetricType;
import io.kprom.scraper.parse.proto.MetricsProto;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * The Prometheus protobuf exposition ({@code application/vnd.google.protobuf;
 * proto=io.prometheus.client.MetricFamily; encoding=delimited}): varint-length-delimited
 * {@code MetricFamily} messages, expanded into the entries the text format would give: HELP, TYPE and
 * UNIT per family, then one SERIES per sample, classic histograms as {@code _bucket{le}} (with the
 * implicit {@code +Inf} bucket), {@code _sum}, {@code _count}, summaries as {@code {quantile}},
 * {@code _sum}, {@code _count}. {@code le} and {@code quantile} values are formatted as Prometheus
 * formats them (Go's shortest {@code 'g'} form, with {@code .0} appended to integers). Native-only
 * histogram buckets are not expanded (their {@code _sum}, {@code _count} and {@code +Inf} bucket are).
 * {@link #lineNumber()} is the 1-based index of the family. This decoder allocates one message per
 * family (unlike the text parsers) and does not use the string table; not thread-safe.
 */
final class ProtobufParser implements ExpositionParser {
    private static final String INFINITY = "+Inf";

    private final CodedInputStream input;
    private int familyIndex;

    private MetricsProto.MetricFamily family;
    private String familyName;
    private MetricType familyType;
    /** 0: HELP pending, 1: TYPE pending, 2: UNIT pending, 3: samples. */
    private int headerStep;
    private int metricIndex;
    /** Sample index inside the current metric's expansion. */
    private int sampleIndex;

    private String metricName;
    private String bucketName;
    private String sumName;
    private String countName;
    private String[] labelNames = new String[16];
    private String[] labelValues = new String[16];
    private int labelCount;
    private double value;
    private boolean hasTimestamp;
    private long timestampMillis;
    private MetricsProto.Exemplar exemplar;

    ProtobufParser(byte[] body, int length) {
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length " + length + " outside buffer of " + body.length);
        }
        this.input = CodedInputStream.newInstance(body, 0, length);
        this.input.setSizeLimit(Integer.MAX_VALUE);
    }

    @Override
    public Entry next() throws ExpositionFormatException {
        try {
            while (true) {
                if (family == null) {
                    if (input.isAtEnd()) {
                        return null;
                    }
                    readFamily();
                }
                if (headerStep == 0) {
                    headerStep = 1;
                    if (family.hasHelp()) {
                        return Entry.HELP;
                    }
                }
                if (headerStep == 1) {
                    headerStep = 2;
                    return Entry.TYPE;
                }
                if (headerStep == 2) {
                    headerStep = 3;
                    if (!family.getUnit().isEmpty()) {
                        return Entry.UNIT;
                    }
                }
                if (metricIndex < family.getMetricCount()) {
                    if (expand(family.getMetric(metricIndex), sampleIndex)) {
                        sampleIndex++;
                        return Entry.SERIES;
                    }
                    metricIndex++;
                    sampleIndex = 0;
                    continue;
                }
                family = null;
            }
        } catch (IOException | RuntimeException e) {
            throw new ExpositionFormatException(familyIndex, "invalid protobuf MetricFamily: " + e.getMessage());
        }
    }

    private void readFamily() throws IOException, ExpositionFormatException {
        familyIndex++;
        int size = input.readRawVarint32();
        if (size < 0) {
            throw new ExpositionFormatException(familyIndex, "invalid message length " + size);
        }
        int limit = input.pushLimit(size);
        MetricsProto.MetricFamily parsed = MetricsProto.MetricFamily.parseFrom(input);
        input.popLimit(limit);
        if (parsed.getName().isEmpty()) {
            throw new ExpositionFormatException(familyIndex, "metric family without a name");
        }
        family = parsed;
        familyName = parsed.getName();
        bucketName = familyName + "_bucket";
        sumName = familyName + "_sum";
        countName = familyName + "_count";
        familyType = switch (parsed.getType()) {
            case COUNTER -> MetricType.COUNTER;
            case GAUGE -> MetricType.GAUGE;
            case SUMMARY -> MetricType.SUMMARY;
            case HISTOGRAM -> MetricType.HISTOGRAM;
            case GAUGE_HISTOGRAM -> MetricType.GAUGEHISTOGRAM;
            case UNTYPED -> MetricType.UNKNOWN;
        };
        headerStep = 0;
        metricIndex = 0;
        sampleIndex = 0;
    }

    /** Sets the cursor to sample {@code index} of this metric's expansion; false when there is none. */
    private boolean expand(MetricsProto.Metric metric, int index) throws ExpositionFormatException {
        exemplar = null;
        String extraName = null;
        String extraValue = null;
        switch (family.getType()) {
            case COUNTER -> {
                if (index > 0) {
                    return false;
                }
                metricName = familyName;
                value = metric.getCounter().getValue();
                if (metric.getCounter().hasExemplar()) {
                    exemplar = metric.getCounter().getExemplar();
                }
            }
            case GAUGE -> {
                if (index > 0) {
                    return false;
                }
                metricName = familyName;
                value = metric.getGauge().getValue();
            }
            case UNTYPED -> {
                if (index > 0) {
                    return false;
                }
                metricName = familyName;
                value = metric.getUntyped().getValue();
            }
            case SUMMARY -> {
                MetricsProto.Summary summary = metric.getSummary();
                int quantiles = summary.getQuantileCount();
                if (index < quantiles) {
                    metricName = familyName;
                    extraName = "quantile";
                    extraValue = formatFloat(summary.getQuantile(index).getQuantile());
                    value = summary.getQuantile(index).getValue();
                } else if (index == quantiles) {
                    metricName = sumName;
                    value = summary.getSampleSum();
                } else if (index == quantiles + 1) {
                    metricName = countName;
                    value = summary.getSampleCount();
                } else {
                    return false;
                }
            }
            case HISTOGRAM, GAUGE_HISTOGRAM -> {
                MetricsProto.Histogram histogram = metric.getHistogram();
                List<MetricsProto.Bucket> buckets = histogram.getBucketList();
                boolean explicitInfinity = !buckets.isEmpty()
                        && buckets.get(buckets.size() - 1).getUpperBound() == Double.POSITIVE_INFINITY;
                int bucketSamples = buckets.size() + (explicitInfinity ? 0 : 1);
                double count = histogram.getSampleCount() == 0 && histogram.hasSampleCountFloat()
                        ? histogram.getSampleCountFloat() : unsigned(histogram.getSampleCount());
                if (index < buckets.size()) {
                    MetricsProto.Bucket bucket = buckets.get(index);
                    metricName = bucketName;
                    extraName = "le";
                    extraValue = formatFloat(bucket.getUpperBound());
                    value = bucket.getCumulativeCount() == 0 && bucket.hasCumulativeCountFloat()
                            ? bucket.getCumulativeCountFloat() : unsigned(bucket.getCumulativeCount());
                    if (bucket.hasExemplar()) {
                        exemplar = bucket.getExemplar();
                    }
                } else if (index < bucketSamples) {
                    metricName = bucketName;
                    extraName = "le";
                    extraValue = INFINITY;
                    value = count;
                } else if (index == bucketSamples) {
                    metricName = sumName;
                    value = histogram.getSampleSum();
                } else if (index == bucketSamples + 1) {
                    metricName = countName;
                    value = count;
                } else {
                    return false;
                }
            }
        }
        setLabels(metric, extraName, extraValue);
        hasTimestamp = metric.hasTimestampMs();
        timestampMillis = metric.getTimestampMs();
        return true;
    }

    private void setLabels(MetricsProto.Metric metric, String extraName, String extraValue)
            throws ExpositionFormatException {
        int count = metric.getLabelCount() + (extraName != null ? 1 : 0);
        if (count > labelNames.length) {
            labelNames = new String[count * 2];
            labelValues = new String[count * 2];
        }
        int i = 0;
        for (MetricsProto.LabelPair pair : metric.getLabelList()) {
            if (pair.getName().isEmpty()) {
                throw new ExpositionFormatException(familyIndex, "empty label name in metric family " + familyName);
            }
            labelNames[i] = pair.getName();
            labelValues[i] = pair.getValue();
            i++;
        }
        if (extraName != null) {
            labelNames[i] = extraName;
            labelValues[i] = extraValue;
            i++;
        }
        labelCount = i;
    }

    private static double unsigned(long count) {
        return count >= 0 ? count : (count >>> 1) * 2.0 + (count & 1);
    }

    /**
     * Prometheus's formatOpenMetricsFloat: {@code +Inf}, {@code -Inf}, {@code NaN}, else Go's
     * {@code strconv.FormatFloat(f, 'g', -1, 64)} with {@code .0} appended when it has no '.' or 'e'.
     */
    static String formatFloat(double f) {
        if (Double.isNaN(f)) {
            return "NaN";
        }
        if (Double.isInfinite(f)) {
            return f > 0 ? INFINITY : "-Inf";
        }
        if (f == 0) {
            return (Double.doubleToRawLongBits(f) < 0 ? "-" : "") + "0.0";
        }
        BigDecimal shortest = shortestDecimal(f);
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder sb = new StringBuilder();
        if (f < 0) {
            sb.append('-');
        }
        if (exponent < -4 || exponent >= 21) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                sb.append('0');
            }
            sb.append(magnitude);
            return sb.toString();
        }
        String plain = shortest.abs().toPlainString();
        sb.append(plain);
        if (plain.indexOf('.') < 0) {
            sb.append(".0");
        }
        return sb.toString();
    }

    /** The fewest significant digits that read back as {@code f} (Double.toString is not always shortest on Java 17). */
    private static BigDecimal shortestDecimal(double f) {
        BigDecimal exact = new BigDecimal(f);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision));
            if (candidate.doubleValue() == f) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17)).stripTrailingZeros();
    }

    private static long millis(Timestamp timestamp) {
        return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
    }

    @Override
    public int lineNumber() {
        return familyIndex;
    }

    @Override
    public String familyName() {
        return familyName;
    }

    @Override
    public String help() {
        return family.getHelp();
    }

    @Override
    public MetricType type() {
        return familyType;
    }

    @Override
    public String unit() {
        return family.getUnit();
    }

    @Override
    public String metricName() {
        return metricName;
    }

    @Override
    public int labelCount() {
        return labelCount;
    }

    @Override
    public String labelName(int index) {
        return labelNames[index];
    }

    @Override
    public String labelValue(int index) {
        return labelValues[index];
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    @Override
    public long timestampMillis() {
        return timestampMillis;
    }

    @Override
    public boolean hasExemplar() {
        return exemplar != null;
    }

    @Override
    public int exemplarLabelCount() {
        return exemplar.getLabelCount();
    }

    @Override
    public String exemplarLabelName(int index) {
        return exemplar.getLabel(index).getName();
    }

    @Override
    public String exemplarLabelValue(int index) {
        return exemplar.getLabel(index).getValue();
    }

    @Override
    public double exemplarValue() {
        return exemplar.getValue();
    }

    @Override
    public boolean exemplarHasTimestamp() {
        return exemplar.hasTimestamp();
    }

    @Override
    public long exemplarTimestampMillis() {
        return millis(exemplar.getTimestamp());
    }
}

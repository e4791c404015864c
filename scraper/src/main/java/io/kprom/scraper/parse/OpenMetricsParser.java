package io.kprom.scraper.parse;

import io.kprom.schemas.avro.MetricType;

/**
 * OpenMetrics 1.0 text: single-space separators, {@code # HELP}/{@code # TYPE}/{@code # UNIT},
 * timestamps in (fractional) seconds, exemplars after {@code " # "}, and a mandatory final
 * {@code # EOF}. {@code _created} samples are returned as ordinary series, as Prometheus does by
 * default. See {@link ExpositionParser} for the cursor contract.
 */
public final class OpenMetricsParser extends AbstractTextParser {
    private boolean sawEof;

    public OpenMetricsParser(byte[] buffer, int length, StringTable strings) {
        super(buffer, length, strings);
    }

    @Override
    public Entry next() throws ExpositionFormatException {
        resetSeries();
        if (sawEof) {
            return null;
        }
        if (position >= limit) {
            throw new ExpositionFormatException(line + 1, "data does not end with # EOF");
        }
        line++;
        if (buffer[position] == '#') {
            return metadata();
        }
        series();
        return Entry.SERIES;
    }

    private Entry metadata() throws ExpositionFormatException {
        position++;
        if (position >= limit || buffer[position] != ' ') {
            throw error("expected space after #");
        }
        position++;
        int wordEnd = tokenEnd();
        Entry entry;
        if (matches(position, wordEnd, "EOF")) {
            position = wordEnd;
            if (position < limit && buffer[position] == '\n') {
                position++;
            }
            if (position < limit) {
                throw new ExpositionFormatException(line + 1, "unexpected data after # EOF");
            }
            sawEof = true;
            return null;
        } else if (matches(position, wordEnd, "HELP")) {
            entry = Entry.HELP;
        } else if (matches(position, wordEnd, "TYPE")) {
            entry = Entry.TYPE;
        } else if (matches(position, wordEnd, "UNIT")) {
            entry = Entry.UNIT;
        } else {
            throw error("expected HELP, TYPE, UNIT or EOF after #");
        }
        position = wordEnd;
        if (position >= limit || buffer[position] != ' ') {
            throw error("expected metric name after " + entry);
        }
        position++;
        familyName = position < limit && buffer[position] == '"' ? readQuoted("metric name") : readMetricName();
        if (familyName == null) {
            throw error("expected metric name after " + entry);
        }
        int textStart;
        if (position < limit && buffer[position] == ' ') {
            textStart = position + 1;
        } else if (position < limit && buffer[position] == '\n' && entry != Entry.TYPE) {
            textStart = position;
        } else {
            throw error("expected text in " + entry);
        }
        position = textStart;
        int end = lineEnd();
        if (end >= limit) {
            position = end;
            throw error("expected newline after " + entry);
        }
        switch (entry) {
            case HELP -> help = hasBackslash(textStart, end) ? internUnescaped(textStart, end, true) : intern(textStart, end);
            case UNIT -> {
                unit = intern(textStart, end);
                if (!unit.isEmpty() && !familyName.endsWith("_" + unit)) {
                    throw new ExpositionFormatException(line,
                            "unit \"" + unit + "\" not a suffix of metric \"" + familyName + "\"");
                }
            }
            default -> {
                type = parseType(textStart, end);
                if (type == null) {
                    throw new ExpositionFormatException(line, "invalid metric type " + quote(textStart, end));
                }
            }
        }
        position = end + 1;
        return entry;
    }

    private MetricType parseType(int start, int end) {
        if (matches(start, end, "counter")) {
            return MetricType.COUNTER;
        } else if (matches(start, end, "gauge")) {
            return MetricType.GAUGE;
        } else if (matches(start, end, "histogram")) {
            return MetricType.HISTOGRAM;
        } else if (matches(start, end, "gaugehistogram")) {
            return MetricType.GAUGEHISTOGRAM;
        } else if (matches(start, end, "summary")) {
            return MetricType.SUMMARY;
        } else if (matches(start, end, "info")) {
            return MetricType.INFO;
        } else if (matches(start, end, "stateset")) {
            return MetricType.STATESET;
        } else if (matches(start, end, "unknown")) {
            return MetricType.UNKNOWN;
        }
        return null;
    }

    private void series() throws ExpositionFormatException {
        if (buffer[position] != '{') {
            metricName = readMetricName();
            if (metricName == null) {
                throw error("expected metric name");
            }
        }
        if (position < limit && buffer[position] == '{') {
            labels(false);
        }
        if (metricName == null) {
            throw new ExpositionFormatException(line, "metric name not set in label set");
        }
        if (position >= limit || buffer[position] != ' ') {
            throw error("expected value after metric");
        }
        position++;
        value = number("expected valid float value after metric");
        if (position < limit && buffer[position] == ' ' && !exemplarStartsAt(position)) {
            position++;
            timestampMillis = secondsToMillis(number("expected timestamp or exemplar after value"));
            hasTimestamp = true;
        }
        if (exemplarStartsAt(position)) {
            position += 3;
            exemplar();
        }
        if (position >= limit || buffer[position] != '\n') {
            throw error("expected next entry after " + (hasExemplar ? "exemplar" : hasTimestamp ? "timestamp" : "value"));
        }
        position++;
    }

    private void exemplar() throws ExpositionFormatException {
        if (position >= limit || buffer[position] != '{') {
            throw error("expected label set in exemplar");
        }
        labels(true);
        if (position >= limit || buffer[position] != ' ') {
            throw error("expected value after exemplar labels");
        }
        position++;
        hasExemplar = true;
        exemplarValue = number("expected valid float value in exemplar");
        if (position < limit && buffer[position] == ' ') {
            position++;
            exemplarTimestampMillis = secondsToMillis(number("expected timestamp in exemplar"));
            exemplarHasTimestamp = true;
        }
    }

    private boolean exemplarStartsAt(int at) {
        return at + 2 < limit && buffer[at] == ' ' && buffer[at + 1] == '#' && buffer[at + 2] == ' ';
    }

    private double number(String expected) throws ExpositionFormatException {
        int end = tokenEnd();
        long bits = NumberParser.parseDoubleBits(buffer, position, end);
        if (bits == NumberParser.INVALID_BITS) {
            throw error(expected);
        }
        position = end;
        return Double.longBitsToDouble(bits);
    }

    private long secondsToMillis(double seconds) throws ExpositionFormatException {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw new ExpositionFormatException(line, "invalid timestamp " + seconds);
        }
        return (long) (seconds * 1000);
    }

    private void labels(boolean exemplar) throws ExpositionFormatException {
        position++;
        if (position < limit && buffer[position] == '}') {
            position++;
            return;
        }
        while (true) {
            if (position >= limit) {
                throw error("expected label name");
            }
            String name;
            if (buffer[position] == '"') {
                name = readQuoted("label name");
                if (position < limit && buffer[position] != '=' && !exemplar && metricName == null) {
                    metricName = name;
                    if (!separator()) {
                        return;
                    }
                    continue;
                }
            } else {
                name = readLabelName();
                if (name == null) {
                    throw error("expected label name");
                }
            }
            if (position >= limit || buffer[position] != '=') {
                throw error("expected equal");
            }
            position++;
            if (position >= limit || buffer[position] != '"') {
                throw error("expected label value");
            }
            String labelValue = readQuoted("label value");
            if (exemplar) {
                addExemplarLabel(name, labelValue);
            } else {
                addLabel(name, labelValue);
            }
            if (!separator()) {
                return;
            }
        }
    }

    private boolean separator() throws ExpositionFormatException {
        if (position < limit && buffer[position] == ',') {
            position++;
            if (position < limit && buffer[position] == '}') {
                position++;
                return false;
            }
            return true;
        }
        if (position < limit && buffer[position] == '}') {
            position++;
            return false;
        }
        throw error("expected comma or closing brace");
    }

    private boolean matches(int start, int end, String word) {
        if (end - start != word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (buffer[start + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean hasBackslash(int start, int end) {
        for (int i = start; i < end; i++) {
            if (buffer[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    private String quote(int start, int end) {
        int saved = position;
        position = start;
        String s = describeHere();
        position = saved;
        return s;
    }
}

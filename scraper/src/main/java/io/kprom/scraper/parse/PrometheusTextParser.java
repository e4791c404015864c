package io.kprom.scraper.parse;

import io.kprom.schemas.avro.MetricType;

/**
 * Prometheus text exposition format 0.0.4 (and the 1.0.0 variant with quoted UTF-8 names):
 * blanks between tokens, {@code # HELP}/{@code # TYPE}, other comments, integer millisecond timestamps.
 * See {@link ExpositionParser} for the cursor contract.
 */
public final class PrometheusTextParser extends AbstractTextParser {

    public PrometheusTextParser(byte[] buffer, int length, StringTable strings) {
        super(buffer, length, strings);
    }

    @Override
    public Entry next() throws ExpositionFormatException {
        resetSeries();
        while (true) {
            if (position >= limit) {
                return null;
            }
            line++;
            skipBlanks();
            if (position >= limit) {
                return null;
            }
            byte c = buffer[position];
            if (c == '\n') {
                position++;
                continue;
            }
            if (c == '#') {
                return comment();
            }
            series();
            return Entry.SERIES;
        }
    }

    private Entry comment() throws ExpositionFormatException {
        position++;
        skipBlanks();
        int wordEnd = tokenEnd();
        boolean isHelp = matches(position, wordEnd, "HELP");
        boolean isType = !isHelp && matches(position, wordEnd, "TYPE");
        if ((!isHelp && !isType) || wordEnd >= limit || buffer[wordEnd] == '\n') {
            position = lineEnd();
            consumeNewline();
            return Entry.COMMENT;
        }
        position = wordEnd;
        skipBlanks();
        familyName = readMetricName();
        if (familyName == null) {
            throw error("expected metric name after " + (isHelp ? "HELP" : "TYPE"));
        }
        if (position < limit && buffer[position] != ' ' && buffer[position] != '\t' && buffer[position] != '\n') {
            throw error("expected text in " + (isHelp ? "HELP" : "TYPE"));
        }
        skipBlanks();
        int end = lineEnd();
        if (isHelp) {
            help = hasBackslash(position, end) ? internUnescaped(position, end, false) : intern(position, end);
            position = end;
            consumeNewline();
            return Entry.HELP;
        }
        int typeEnd = end;
        while (typeEnd > position && (buffer[typeEnd - 1] == ' ' || buffer[typeEnd - 1] == '\t')) {
            typeEnd--;
        }
        type = parseType(position, typeEnd);
        if (type == null) {
            throw new ExpositionFormatException(line, "invalid metric type " + quote(position, typeEnd));
        }
        position = end;
        consumeNewline();
        return Entry.TYPE;
    }

    private MetricType parseType(int start, int end) {
        if (matches(start, end, "counter")) {
            return MetricType.COUNTER;
        } else if (matches(start, end, "gauge")) {
            return MetricType.GAUGE;
        } else if (matches(start, end, "histogram")) {
            return MetricType.HISTOGRAM;
        } else if (matches(start, end, "summary")) {
            return MetricType.SUMMARY;
        } else if (matches(start, end, "untyped")) {
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
            int afterName = position;
            skipBlanks();
            if (position >= limit || buffer[position] != '{') {
                position = afterName;
            }
        }
        if (position < limit && buffer[position] == '{') {
            labels();
        }
        if (metricName == null) {
            throw new ExpositionFormatException(line, "metric name not set in label set");
        }
        if (position >= limit || (buffer[position] != ' ' && buffer[position] != '\t')) {
            throw error("expected value after metric");
        }
        skipBlanks();
        int end = tokenEnd();
        if (end == position) {
            throw error("expected value after metric");
        }
        long bits = NumberParser.parseDoubleBits(buffer, position, end);
        if (bits == NumberParser.INVALID_BITS) {
            throw error("expected valid float value after metric");
        }
        value = Double.longBitsToDouble(bits);
        position = end;
        skipBlanks();
        if (position < limit && buffer[position] != '\n') {
            end = tokenEnd();
            if (!NumberParser.parseLong(buffer, position, end, longOut)) {
                throw error("expected timestamp or new record");
            }
            hasTimestamp = true;
            timestampMillis = longOut[0];
            position = end;
            skipBlanks();
            if (position < limit && buffer[position] != '\n') {
                throw error("expected next entry after timestamp");
            }
        }
        consumeNewline();
    }

    private void labels() throws ExpositionFormatException {
        position++;
        while (true) {
            skipBlanks();
            if (position >= limit) {
                throw error("expected label name or closing brace");
            }
            if (buffer[position] == '}') {
                position++;
                return;
            }
            String name;
            if (buffer[position] == '"') {
                name = readQuoted("label name");
                skipBlanks();
                if (position < limit && buffer[position] != '=') {
                    if (metricName != null) {
                        throw error("expected equal after label name");
                    }
                    // {"utf8.metric.name", ...}: a quoted string without '=' names the metric.
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
                skipBlanks();
            }
            if (position >= limit || buffer[position] != '=') {
                throw error("expected equal");
            }
            position++;
            skipBlanks();
            if (position >= limit || buffer[position] != '"') {
                throw error("expected label value");
            }
            addLabel(name, readQuoted("label value"));
            if (!separator()) {
                return;
            }
        }
    }

    /** After a label: true when a comma follows (more labels), false after the closing brace. */
    private boolean separator() throws ExpositionFormatException {
        skipBlanks();
        if (position < limit && buffer[position] == ',') {
            position++;
            return true;
        }
        if (position < limit && buffer[position] == '}') {
            position++;
            return false;
        }
        throw error("expected comma or closing brace");
    }

    private void consumeNewline() {
        if (position < limit && buffer[position] == '\n') {
            position++;
        }
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

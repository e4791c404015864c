package io.kprom.scraper.parse;

import io.kprom.schemas.avro.MetricType;
import java.nio.charset.StandardCharsets;

/**
 * Shared cursor state and lexing for the line-oriented text formats. Label names and values are
 * resolved through the {@link StringTable}; escapes are undone into a reused scratch buffer first.
 */
abstract class AbstractTextParser implements ExpositionParser {
    protected final byte[] buffer;
    protected final int limit;
    protected final StringTable strings;
    protected int position;
    protected int line;

    protected String familyName;
    protected String help;
    protected MetricType type;
    protected String unit;

    protected String metricName;
    protected String[] labelNames = new String[16];
    protected String[] labelValues = new String[16];
    protected int labelCount;
    protected double value;
    protected boolean hasTimestamp;
    protected long timestampMillis;

    protected boolean hasExemplar;
    protected String[] exemplarNames = new String[4];
    protected String[] exemplarValues = new String[4];
    protected int exemplarCount;
    protected double exemplarValue;
    protected boolean exemplarHasTimestamp;
    protected long exemplarTimestampMillis;

    private byte[] scratch = new byte[256];
    protected final long[] longOut = new long[1];

    AbstractTextParser(byte[] buffer, int length, StringTable strings) {
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("length " + length + " outside buffer of " + buffer.length);
        }
        this.buffer = buffer;
        this.limit = length;
        this.strings = strings;
    }

    @Override
    public int lineNumber() {
        return line;
    }

    @Override
    public String familyName() {
        return familyName;
    }

    @Override
    public String help() {
        return help;
    }

    @Override
    public MetricType type() {
        return type;
    }

    @Override
    public String unit() {
        return unit;
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
        return hasExemplar;
    }

    @Override
    public int exemplarLabelCount() {
        return exemplarCount;
    }

    @Override
    public String exemplarLabelName(int index) {
        return exemplarNames[index];
    }

    @Override
    public String exemplarLabelValue(int index) {
        return exemplarValues[index];
    }

    @Override
    public double exemplarValue() {
        return exemplarValue;
    }

    @Override
    public boolean exemplarHasTimestamp() {
        return exemplarHasTimestamp;
    }

    @Override
    public long exemplarTimestampMillis() {
        return exemplarTimestampMillis;
    }

    // ---- lexing helpers -------------------------------------------------------------------------

    protected ExpositionFormatException error(String expected) {
        return new ExpositionFormatException(line, expected + ", got " + describeHere());
    }

    /** The token at the cursor, quoted like Go's %q, for error messages. */
    protected String describeHere() {
        if (position >= limit) {
            return "\"EOF\"";
        }
        int end = position;
        if (buffer[end] == '\n') {
            return "\"\\n\"";
        }
        while (end < limit && end - position < 40 && buffer[end] != '\n' && buffer[end] != ' '
                && buffer[end] != '\t') {
            end++;
        }
        if (end == position) {
            end++;
        }
        StringBuilder sb = new StringBuilder("\"");
        String token = new String(buffer, position, end - position, StandardCharsets.UTF_8);
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    protected static boolean isNameStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    }

    protected static boolean isNameChar(byte c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    protected static boolean isLabelNameStart(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    protected static boolean isLabelNameChar(byte c) {
        return isLabelNameStart(c) || (c >= '0' && c <= '9');
    }

    protected void skipBlanks() {
        while (position < limit && (buffer[position] == ' ' || buffer[position] == '\t')) {
            position++;
        }
    }

    /** Reads a metric name at the cursor; returns null when none starts here. */
    protected String readMetricName() throws ExpositionFormatException {
        int start = position;
        if (position >= limit || !isNameStart(buffer[position])) {
            return null;
        }
        position++;
        while (position < limit && isNameChar(buffer[position])) {
            position++;
        }
        return intern(start, position);
    }

    /** Reads a legacy label name at the cursor; returns null when none starts here. */
    protected String readLabelName() throws ExpositionFormatException {
        int start = position;
        if (position >= limit || !isLabelNameStart(buffer[position])) {
            return null;
        }
        position++;
        while (position < limit && isLabelNameChar(buffer[position])) {
            position++;
        }
        return intern(start, position);
    }

    /**
     * Reads a double-quoted string at the cursor (the cursor is on the opening quote) undoing
     * {@code \\}, {@code \"} and {@code \n}; other escapes stay as written.
     */
    protected String readQuoted(String what) throws ExpositionFormatException {
        position++;
        int start = position;
        boolean escaped = false;
        while (true) {
            if (position >= limit || buffer[position] == '\n') {
                throw error("expected closing quote of " + what);
            }
            byte c = buffer[position];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                escaped = true;
                position++;
                if (position >= limit || buffer[position] == '\n') {
                    throw error("expected escaped character in " + what);
                }
            }
            position++;
        }
        int end = position;
        position++;
        if (!escaped) {
            return intern(start, end);
        }
        return internUnescaped(start, end, true);
    }

    /** Unescapes {@code buffer[start, end)} into the scratch buffer and interns the result. */
    protected String internUnescaped(int start, int end, boolean quoteEscape) throws ExpositionFormatException {
        if (scratch.length < end - start) {
            scratch = new byte[Math.max(end - start, scratch.length * 2)];
        }
        int n = 0;
        for (int i = start; i < end; i++) {
            byte c = buffer[i];
            if (c == '\\' && i + 1 < end) {
                byte next = buffer[i + 1];
                if (next == '\\') {
                    scratch[n++] = '\\';
                    i++;
                    continue;
                } else if (next == 'n') {
                    scratch[n++] = '\n';
                    i++;
                    continue;
                } else if (next == '"' && quoteEscape) {
                    scratch[n++] = '"';
                    i++;
                    continue;
                }
            }
            scratch[n++] = c;
        }
        String s = strings.get(scratch, 0, n);
        if (s == null) {
            throw new ExpositionFormatException(line, "invalid UTF-8 in " + describeRange(start, end));
        }
        return s;
    }

    protected String intern(int start, int end) throws ExpositionFormatException {
        String s = strings.get(buffer, start, end);
        if (s == null) {
            throw new ExpositionFormatException(line, "invalid UTF-8 in " + describeRange(start, end));
        }
        return s;
    }

    private String describeRange(int start, int end) {
        int saved = position;
        position = start;
        String described = describeHere();
        position = saved;
        return described;
    }

    protected void addLabel(String name, String labelValue) throws ExpositionFormatException {
        for (int i = 0; i < labelCount; i++) {
            if (labelNames[i].equals(name)) {
                throw new ExpositionFormatException(line, "duplicate label name \"" + name + "\"");
            }
        }
        if (labelCount == labelNames.length) {
            labelNames = java.util.Arrays.copyOf(labelNames, labelCount * 2);
            labelValues = java.util.Arrays.copyOf(labelValues, labelCount * 2);
        }
        labelNames[labelCount] = name;
        labelValues[labelCount] = labelValue;
        labelCount++;
    }

    protected void addExemplarLabel(String name, String labelValue) throws ExpositionFormatException {
        for (int i = 0; i < exemplarCount; i++) {
            if (exemplarNames[i].equals(name)) {
                throw new ExpositionFormatException(line, "duplicate exemplar label name \"" + name + "\"");
            }
        }
        if (exemplarCount == exemplarNames.length) {
            exemplarNames = java.util.Arrays.copyOf(exemplarNames, exemplarCount * 2);
            exemplarValues = java.util.Arrays.copyOf(exemplarValues, exemplarCount * 2);
        }
        exemplarNames[exemplarCount] = name;
        exemplarValues[exemplarCount] = labelValue;
        exemplarCount++;
    }

    protected void resetSeries() {
        metricName = null;
        labelCount = 0;
        hasTimestamp = false;
        hasExemplar = false;
        exemplarCount = 0;
        exemplarHasTimestamp = false;
    }

    /** Index of the end of the token starting at the cursor (stops at space, tab or newline). */
    protected int tokenEnd() {
        int end = position;
        while (end < limit && buffer[end] != ' ' && buffer[end] != '\t' && buffer[end] != '\n') {
            end++;
        }
        return end;
    }

    /** Index of the next newline at or after the cursor, or the limit. */
    protected int lineEnd() {
        int end = position;
        while (end < limit && buffer[end] != '\n') {
            end++;
        }
        return end;
    }
}

package io.kprom.scraper.parse;

/**
 * A scrape body is not valid in its exposition format. The message reads like Prometheus's:
 * {@code line 12: expected value after metric, got "\n"}.
 */
public final class ExpositionFormatException extends Exception {
    private final int line;

    public ExpositionFormatException(int line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    public ExpositionFormatException(String message) {
        super(message);
        this.line = 0;
    }

    /** 1-based line of the error, or 0 when the error is not tied to a line. */
    public int line() {
        return line;
    }
}

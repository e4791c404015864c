package io.kprom.common.config;

/**
 * A configuration file that cannot be used. The message names the file, the line and the field,
 * e.g. {@code prometheus.yml:12: scrape_configs[0].scrape_intervall: field not found}.
 */
public class ConfigException extends Exception {
    private final String file;
    private final int line;
    private final String field;

    public ConfigException(String file, int line, String field, String problem) {
        super(format(file, line, field, problem));
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.file = null;
        this.line = 0;
        this.field = null;
    }

    private static String format(String file, int line, String field, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line > 0) {
                sb.append(':').append(line);
            }
            sb.append(": ");
        }
        if (field != null && !field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(problem).toString();
    }

    /** The file, or null. */
    public String file() {
        return file;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** Dotted path of the field, e.g. {@code scrape_configs[0].scrape_interval}, or null. */
    public String field() {
        return field;
    }
}

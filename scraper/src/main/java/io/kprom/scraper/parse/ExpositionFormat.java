package io.kprom.scraper.parse;

import java.util.List;
import java.util.Locale;

/**
 * The exposition formats kprom parses, the {@code scrape_protocols} names that ask for them, and the
 * choice of parser from a response {@code Content-Type} (with the configured fallback when the type
 * is missing or unknown).
 */
public enum ExpositionFormat {
    PROMETHEUS_TEXT("text/plain"),
    OPENMETRICS("application/openmetrics-text"),
    /** Length-delimited {@code io.prometheus.client.MetricFamily} messages. */
    PROMETHEUS_PROTOBUF("application/vnd.google.protobuf");

    private static final String PROTOBUF_MESSAGE = "io.prometheus.client.MetricFamily";

    private final String mediaType;

    ExpositionFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** A parser over {@code body[0, length)}. */
    public ExpositionParser parser(byte[] body, int length, StringTable strings) {
        return switch (this) {
            case OPENMETRICS -> new OpenMetricsParser(body, length, strings);
            case PROMETHEUS_TEXT -> new PrometheusTextParser(body, length, strings);
            case PROMETHEUS_PROTOBUF -> new ProtobufParser(body, length);
        };
    }

    /**
     * The format for a {@code Content-Type} header value, or null when it names none we parse
     * (missing, empty, protobuf of another message or encoding, or anything else).
     */
    public static ExpositionFormat forContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        String media = contentType;
        String parameters = "";
        int semicolon = media.indexOf(';');
        if (semicolon >= 0) {
            parameters = media.substring(semicolon + 1);
            media = media.substring(0, semicolon);
        }
        media = media.trim().toLowerCase(Locale.ROOT);
        if (media.equals(PROMETHEUS_PROTOBUF.mediaType)) {
            return PROTOBUF_MESSAGE.equals(parameter(parameters, "proto"))
                    && "delimited".equals(parameter(parameters, "encoding")) ? PROMETHEUS_PROTOBUF : null;
        }
        if (media.equals("application/openmetrics-text")) {
            return OPENMETRICS;
        }
        if (media.equals("text/plain")) {
            return PROMETHEUS_TEXT;
        }
        return null;
    }

    /** The value of one {@code ;name=value} media-type parameter (quotes removed), or null. */
    private static String parameter(String parameters, String name) {
        for (String part : parameters.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().equalsIgnoreCase(name)) {
                String value = part.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value;
            }
        }
        return null;
    }

    /** The format a {@code scrape_protocols} entry names, or null for one kprom cannot parse. */
    public static ExpositionFormat forProtocol(String protocol) {
        return switch (protocol) {
            case "PrometheusProto" -> PROMETHEUS_PROTOBUF;
            case "OpenMetricsText1.0.0", "OpenMetricsText0.0.1" -> OPENMETRICS;
            case "PrometheusText0.0.4", "PrometheusText1.0.0" -> PROMETHEUS_TEXT;
            default -> null;
        };
    }

    /** The media type with parameters a {@code scrape_protocols} entry asks for, or null if unknown. */
    public static String acceptValue(String protocol) {
        return switch (protocol) {
            case "OpenMetricsText1.0.0" -> "application/openmetrics-text;version=1.0.0";
            case "OpenMetricsText0.0.1" -> "application/openmetrics-text;version=0.0.1";
            case "PrometheusText1.0.0" -> "text/plain;version=1.0.0;escaping=allow-utf-8";
            case "PrometheusText0.0.4" -> "text/plain;version=0.0.4";
            case "PrometheusProto" ->
                    "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
            default -> null;
        };
    }

    /**
     * The {@code Accept} header Prometheus sends for these protocols: each with a falling q weight, then
     * {@code *}{@code /*}. Protocols kprom cannot parse are left out.
     */
    public static String acceptHeader(List<String> protocols) {
        List<String> parseable = protocols.stream().filter(p -> forProtocol(p) != null).toList();
        StringBuilder sb = new StringBuilder();
        int weight = parseable.size() + 1;
        for (String protocol : parseable) {
            sb.append(acceptValue(protocol)).append(";q=").append(qValue(weight)).append(',');
            weight--;
        }
        return sb.append("*/*;q=").append(qValue(weight)).toString();
    }

    private static String qValue(int weight) {
        return weight >= 10 ? "1.0" : "0." + weight;
    }
}

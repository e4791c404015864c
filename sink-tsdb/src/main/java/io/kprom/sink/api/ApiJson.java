package io.kprom.sink.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.Value;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes Prometheus's API envelope ({@code status}, {@code data}, {@code errorType}, {@code error},
 * {@code warnings}, {@code infos}, in that order) and query values in its exact shapes. Stateless.
 */
public final class ApiJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private ApiJson() {
    }

    public static byte[] success(ApiResult result) {
        return envelope(json -> {
            json.writeStringField("status", "success");
            json.writeFieldName("data");
            result.data().write(json);
            annotations(json, result.warnings(), result.infos());
        });
    }

    public static byte[] error(String errorType, String message, List<String> warnings, List<String> infos) {
        return envelope(json -> {
            json.writeStringField("status", "error");
            json.writeStringField("errorType", errorType);
            json.writeStringField("error", message);
            annotations(json, warnings, infos);
        });
    }

    private static void annotations(JsonGenerator json, List<String> warnings, List<String> infos) throws IOException {
        if (!warnings.isEmpty()) {
            writeStrings(json, "warnings", warnings);
        }
        if (!infos.isEmpty()) {
            writeStrings(json, "infos", infos);
        }
    }

    private static byte[] envelope(ApiResult.DataWriter body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.writeStartObject();
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }

    /** {@code {"name": "value", ...}} in label order. */
    public static void writeLabels(JsonGenerator json, Labels labels) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < labels.size(); i++) {
            json.writeStringField(labels.name(i), labels.value(i));
        }
        json.writeEndObject();
    }

    /** {@code [1435781451.781, "1"]}. */
    public static void writePoint(JsonGenerator json, long timestampMillis, double value) throws IOException {
        json.writeStartArray();
        json.writeNumber(PromNumbers.formatTimestamp(timestampMillis));
        json.writeString(PromNumbers.formatValue(value));
        json.writeEndArray();
    }

    /** A query's {@code data}: {@code {"resultType": ..., "result": ...}}. */
    public static void writeQueryData(JsonGenerator json, Value value) throws IOException {
        json.writeStartObject();
        json.writeStringField("resultType", value.resultType());
        json.writeFieldName("result");
        if (value instanceof Value.ScalarValue scalar) {
            writePoint(json, scalar.timestampMillis(), scalar.value());
        } else if (value instanceof Value.StringValue string) {
            json.writeStartArray();
            json.writeNumber(PromNumbers.formatTimestamp(string.timestampMillis()));
            json.writeString(string.value());
            json.writeEndArray();
        } else if (value instanceof Value.VectorValue vector) {
            json.writeStartArray();
            for (Value.Sample sample : vector.samples()) {
                json.writeStartObject();
                json.writeFieldName("metric");
                writeLabels(json, sample.labels());
                json.writeFieldName("value");
                writePoint(json, sample.timestampMillis(), sample.value());
                json.writeEndObject();
            }
            json.writeEndArray();
        } else if (value instanceof Value.MatrixValue matrix) {
            json.writeStartArray();
            for (Value.SeriesValue series : matrix.series()) {
                json.writeStartObject();
                json.writeFieldName("metric");
                writeLabels(json, series.labels());
                json.writeArrayFieldStart("values");
                long[] timestamps = series.timestamps();
                double[] values = series.values();
                for (int i = 0; i < timestamps.length; i++) {
                    writePoint(json, timestamps[i], values[i]);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }
}

package io.kprom.scraper.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.scraper.parse.proto.MetricsProto;
import io.kprom.scraper.scrape.ScrapeBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtobufParserTest {

    @Test
    void expandsFamiliesAsTheTextFormatWould() throws Exception {
        List<String> entries = render(ProtobufPayloads.delimited(ProtobufPayloads.sample()));

        assertThat(entries).containsExactly(
                "HELP http_requests_total Requests served.",
                "TYPE http_requests_total COUNTER",
                "http_requests_total{code=200,method=get} 1027.0 # {trace_id=abc} 0.067 @1520879602100",
                "http_requests_total{code=500,method=post} 3.0",
                "TYPE temperature_celsius GAUGE",
                "UNIT temperature_celsius celsius",
                "temperature_celsius{} -2.5 @1395066363000",
                "TYPE legacy UNKNOWN",
                "legacy{} NaN",
                "HELP rpc_duration_seconds RPC latency.",
                "TYPE rpc_duration_seconds SUMMARY",
                "rpc_duration_seconds{quantile=0.5} 4773.0",
                "rpc_duration_seconds{quantile=0.99} 76656.0",
                "rpc_duration_seconds_sum{} 1.7560473E7",
                "rpc_duration_seconds_count{} 2693.0",
                "HELP request_seconds Request latency.",
                "TYPE request_seconds HISTOGRAM",
                "request_seconds_bucket{path=/,le=0.05} 24054.0",
                "request_seconds_bucket{path=/,le=1.0} 100392.0 # {trace_id=abc} 0.067 @1520879602100",
                "request_seconds_bucket{path=/,le=1e-05} 0.0",
                "request_seconds_bucket{path=/,le=+Inf} 144320.0",
                "request_seconds_sum{path=/} 53423.0",
                "request_seconds_count{path=/} 144320.0");
    }

    @Test
    void buildsTheSameBatchAsTheEquivalentTextExposition() throws Exception {
        byte[] proto = ProtobufPayloads.delimited(ProtobufPayloads.sample().subList(3, 5));
        String text = """
                # HELP rpc_duration_seconds RPC latency.
                # TYPE rpc_duration_seconds summary
                rpc_duration_seconds{quantile="0.5"} 4773
                rpc_duration_seconds{quantile="0.99"} 76656
                rpc_duration_seconds_sum 17560473
                rpc_duration_seconds_count 2693
                # HELP request_seconds Request latency.
                # TYPE request_seconds histogram
                request_seconds_bucket{path="/",le="0.05"} 24054
                request_seconds_bucket{path="/",le="1.0"} 100392
                request_seconds_bucket{path="/",le="1e-05"} 0
                request_seconds_bucket{path="/",le="+Inf"} 144320
                request_seconds_sum{path="/"} 53423
                request_seconds_count{path="/"} 144320
                """;
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);

        List<RawSeries> fromProto = new ArrayList<>();
        Map<String, MetricMetadata> protoMetadata = new LinkedHashMap<>();
        new ScrapeBatchBuilder().parse(ExpositionFormat.PROMETHEUS_PROTOBUF.parser(proto, proto.length, new StringTable()),
                1000L, fromProto, protoMetadata);
        List<RawSeries> fromText = new ArrayList<>();
        Map<String, MetricMetadata> textMetadata = new LinkedHashMap<>();
        new ScrapeBatchBuilder().parse(ExpositionFormat.PROMETHEUS_TEXT.parser(textBytes, textBytes.length, new StringTable()),
                1000L, fromText, textMetadata);

        // The text format has no exemplars; the protobuf one carries the bucket's.
        assertThat(fromProto.get(5).getExemplars()).singleElement()
                .satisfies(e -> assertThat(e.getLabels()).containsExactly("trace_id", "abc"));
        fromProto.get(5).setExemplars(null);
        assertThat(fromProto).isEqualTo(fromText);
        assertThat(protoMetadata).isEqualTo(textMetadata);
        assertThat(protoMetadata.get("request_seconds").getType()).isEqualTo(MetricType.HISTOGRAM);
    }

    @Test
    void contentTypeAndProtocolSelectTheProtobufParser() {
        assertThat(ExpositionFormat.forContentType(
                "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"))
                .isEqualTo(ExpositionFormat.PROMETHEUS_PROTOBUF);
        assertThat(ExpositionFormat.forContentType("application/vnd.google.protobuf; proto=other.Message; encoding=delimited"))
                .isNull();
        assertThat(ExpositionFormat.forContentType("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=text"))
                .isNull();
        assertThat(ExpositionFormat.forProtocol("PrometheusProto")).isEqualTo(ExpositionFormat.PROMETHEUS_PROTOBUF);
        assertThat(ExpositionFormat.acceptHeader(List.of("PrometheusProto", "PrometheusText0.0.4"))).isEqualTo(
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.3,"
                        + "text/plain;version=0.0.4;q=0.2,*/*;q=0.1");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1, 1.0", "0.05, 0.05", "1e-05, 1e-05", "0.0001, 0.0001", "100000, 100000.0", "1e21, 1e+21",
            "123456789, 123456789.0", "0.1, 0.1", "2.5e-7, 2.5e-07", "-3, -3.0", "0, 0.0", "Infinity, +Inf",
            "-Infinity, -Inf", "NaN, NaN", "1.7976931348623157e308, 1.7976931348623157e+308"})
    void formatsBoundsAsPrometheus(double value, String expected) {
        assertThat(ProtobufParser.formatFloat(value)).isEqualTo(expected);
    }

    @Test
    void aTruncatedMessageIsAFormatError() {
        byte[] body = ProtobufPayloads.delimited(ProtobufPayloads.sample());
        byte[] truncated = Arrays.copyOf(body, body.length - 5);
        assertThatThrownBy(() -> render(truncated)).isInstanceOf(ExpositionFormatException.class)
                .hasMessageStartingWith("line 5: invalid protobuf MetricFamily");
    }

    private static List<String> render(byte[] body) throws ExpositionFormatException {
        return ParserTestSupport.render(ExpositionFormat.PROMETHEUS_PROTOBUF, body);
    }
}

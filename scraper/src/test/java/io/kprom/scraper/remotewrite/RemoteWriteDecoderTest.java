package io.kprom.scraper.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.RawSeries;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RemoteWriteDecoderTest {

    static Stream<Arguments> negotiation() {
        return Stream.of(
                Arguments.of("1.0 plain", "application/x-protobuf", "snappy", "V1"),
                Arguments.of("1.0 explicit", "application/x-protobuf;proto=prometheus.WriteRequest", "snappy", "V1"),
                Arguments.of("2.0", "application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy", "V2"),
                Arguments.of("2.0 with spaces", "application/x-protobuf; proto=io.prometheus.write.v2.Request", null, "V2"),
                Arguments.of("no content type", null, null, "V1"),
                Arguments.of("unknown proto", "application/x-protobuf;proto=foo.Bar", "snappy", "415"),
                Arguments.of("json", "application/json", "snappy", "415"),
                Arguments.of("gzip", "application/x-protobuf", "gzip", "415"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negotiation")
    void negotiatesContentTypeAndEncoding(String name, String contentType, String encoding, String expected) {
        if (expected.equals("415")) {
            assertThatThrownBy(() -> RemoteWriteDecoder.negotiate(contentType, encoding))
                    .isInstanceOf(RemoteWriteException.class)
                    .extracting(e -> ((RemoteWriteException) e).status()).isEqualTo(415);
        } else {
            assertThat(catchVersion(contentType, encoding)).isEqualTo(RemoteWriteDecoder.Version.valueOf(expected));
        }
    }

    private static RemoteWriteDecoder.Version catchVersion(String contentType, String encoding) {
        try {
            return RemoteWriteDecoder.negotiate(contentType, encoding);
        } catch (RemoteWriteException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void decodesVersion1() throws Exception {
        byte[] body = RemoteWriteRequests.v1(
                RemoteWriteRequests.v1Series(3, 1000, "__name__", "http_requests_total", "job", "api"),
                RemoteWriteRequests.v1Series(1, 1000, "job", "no-name"),
                RemoteWriteRequests.v1Series(1, 1000, "__name__", "x", "b", "1", "a", "2"));
        RemoteWriteDecoder.Decoded decoded = RemoteWriteDecoder.decode(RemoteWriteDecoder.Version.V1, body, 5);
        assertThat(decoded.batch().getSource()).isEqualTo(BatchSource.REMOTE_WRITE);
        assertThat(decoded.batch().getTarget()).isNull();
        assertThat(decoded.batch().getSeries()).singleElement().satisfies(series -> {
            assertThat(series.getLabels()).containsExactly("__name__", "http_requests_total", "job", "api");
            assertThat(series.getTimestamps()).containsExactly(1000L);
            assertThat(series.getValues()).containsExactly(3.0);
        });
        assertThat(decoded.invalid()).isEqualTo(2);
        assertThat(decoded.firstError()).startsWith("series without metric name");
        assertThat(decoded.batch().getMetadata()).singleElement().satisfies(m -> {
            assertThat(m.getMetricFamily()).isEqualTo("http_requests_total");
            assertThat(m.getType()).isEqualTo(MetricType.COUNTER);
            assertThat(m.getHelp()).isEqualTo("Requests.");
        });
    }

    @Test
    void decodesVersion2WithSymbolsExemplarsHistogramsAndMetadata() throws Exception {
        RemoteWriteDecoder.Decoded decoded = RemoteWriteDecoder.decode(RemoteWriteDecoder.Version.V2,
                RemoteWriteRequests.v2(true), 5);
        assertThat(decoded.samples()).isEqualTo(2);
        assertThat(decoded.histograms()).isEqualTo(1);
        assertThat(decoded.exemplars()).isEqualTo(1);
        assertThat(decoded.invalid()).isEqualTo(1);
        RawSeries counter = decoded.batch().getSeries().get(0);
        assertThat(counter.getLabels()).containsExactly("__name__", "http_requests_total", "job", "api");
        assertThat(counter.getTimestamps()).containsExactly(1000L, 2000L);
        assertThat(counter.getValues()).containsExactly(7.0, 8.0);
        assertThat(counter.getCreatedTimestampMillis()).isEqualTo(500L);
        assertThat(counter.getExemplars()).singleElement().satisfies(e -> {
            assertThat(e.getLabels()).containsExactly("trace_id", "abc");
            assertThat(e.getTimestampMillis()).isEqualTo(1500L);
        });
        RawSeries histogram = decoded.batch().getSeries().get(1);
        assertThat(histogram.getHistograms()).singleElement().satisfies(h -> {
            assertThat(h.getCount()).isEqualTo(3.0);
            assertThat(h.getZeroCount()).isEqualTo(1.0);
            assertThat(h.getPositiveSpans()).containsExactly(0, 2);
            assertThat(h.getPositiveBuckets()).containsExactly(1.0, 0.0);
            assertThat(h.getIntegerCounts()).isTrue();
            assertThat(h.getTimestampMillis()).isEqualTo(3000L);
        });
        assertThat(decoded.batch().getMetadata()).singleElement().satisfies(m -> {
            assertThat(m.getMetricFamily()).isEqualTo("http_requests_total");
            assertThat(m.getType()).isEqualTo(MetricType.COUNTER);
            assertThat(m.getHelp()).isEqualTo("Requests.");
        });
    }

    @Test
    void rejectsUndecodableBodies() {
        assertThatThrownBy(() -> RemoteWriteDecoder.decode(RemoteWriteDecoder.Version.V1, new byte[] {1, 2, 3}, 0))
                .isInstanceOf(RemoteWriteException.class)
                .extracting(e -> ((RemoteWriteException) e).status()).isEqualTo(400);
        assertThatThrownBy(() -> RemoteWriteDecoder.decode(RemoteWriteDecoder.Version.V2,
                RemoteWriteRequests.snappy(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}), 0))
                .isInstanceOf(RemoteWriteException.class)
                .extracting(e -> ((RemoteWriteException) e).status()).isEqualTo(400);
    }
}

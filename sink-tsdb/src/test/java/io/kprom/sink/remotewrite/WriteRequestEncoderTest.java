package io.kprom.sink.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.Labels;
import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import io.kprom.schemas.remotewrite.v2.RemoteWriteV2;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class WriteRequestEncoderTest {
    final List<SeriesBuffer.SeriesSamples> batch = List.of(
            new SeriesBuffer.SeriesSamples(Labels.of("__name__", "up", "job", "node"), new long[] {1000, 2000},
                    new double[] {1, Double.longBitsToDouble(0x7ff0000000000002L)}),
            new SeriesBuffer.SeriesSamples(Labels.of("__name__", "up", "job", "api"), new long[] {1000},
                    new double[] {0}));

    @Test
    void encodesRemoteWrite1() throws Exception {
        RemoteWriteV1.WriteRequest request = RemoteWriteV1.WriteRequest.parseFrom(
                Snappy.uncompress(WriteRequestEncoder.V1.encode(batch)));
        assertThat(request.getTimeseriesCount()).isEqualTo(2);
        RemoteWriteV1.TimeSeries first = request.getTimeseries(0);
        assertThat(first.getLabelsList()).extracting(RemoteWriteV1.Label::getName).containsExactly("__name__", "job");
        assertThat(first.getSamples(1).getTimestamp()).isEqualTo(2000);
        assertThat(Double.doubleToRawLongBits(first.getSamples(1).getValue())).as("stale marker bits kept")
                .isEqualTo(0x7ff0000000000002L);
        assertThat(WriteRequestEncoder.V1.contentType()).isEqualTo("application/x-protobuf");
    }

    @Test
    void encodesRemoteWrite2WithSymbolTable() throws Exception {
        RemoteWriteV2.Request request = RemoteWriteV2.Request.parseFrom(
                Snappy.uncompress(WriteRequestEncoder.V2.encode(batch)));
        assertThat(request.getSymbolsList()).containsExactly("", "__name__", "up", "job", "node", "api");
        assertThat(request.getTimeseries(1).getLabelsRefsList()).containsExactly(1, 2, 3, 5);
        assertThat(request.getTimeseries(0).getSamplesCount()).isEqualTo(2);
    }

    @Test
    void picksEncoderByProtobufMessage() {
        assertThat(WriteRequestEncoder.forMessage("io.prometheus.write.v2.Request")).isEqualTo(WriteRequestEncoder.V2);
        assertThat(WriteRequestEncoder.forMessage("prometheus.WriteRequest")).isEqualTo(WriteRequestEncoder.V1);
        assertThatThrownBy(() -> WriteRequestEncoder.forMessage("x")).hasMessageContaining("unknown");
    }
}

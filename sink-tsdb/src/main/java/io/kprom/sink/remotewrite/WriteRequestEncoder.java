package io.kprom.sink.remotewrite;

import io.kprom.common.config.RemoteWriteConfig;
import io.kprom.common.labels.Labels;
import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import io.kprom.schemas.remotewrite.v2.RemoteWriteV2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Encodes a batch as a snappy-compressed Remote Write body: 1.0 ({@code prometheus.WriteRequest})
 * or 2.0 ({@code io.prometheus.write.v2.Request}, labels interned in a symbol table whose first
 * entry is ""). Stateless and thread-safe.
 */
public enum WriteRequestEncoder {
    V1(RemoteWriteConfig.PROTOBUF_V1, "application/x-protobuf", "0.1.0") {
        @Override
        byte[] protobuf(List<SeriesBuffer.SeriesSamples> batch) {
            RemoteWriteV1.WriteRequest.Builder request = RemoteWriteV1.WriteRequest.newBuilder();
            for (SeriesBuffer.SeriesSamples series : batch) {
                RemoteWriteV1.TimeSeries.Builder ts = request.addTimeseriesBuilder();
                Labels labels = series.labels();
                for (int i = 0; i < labels.size(); i++) {
                    ts.addLabelsBuilder().setName(labels.name(i)).setValue(labels.value(i));
                }
                for (int i = 0; i < series.timestamps().length; i++) {
                    ts.addSamplesBuilder().setTimestamp(series.timestamps()[i]).setValue(series.values()[i]);
                }
            }
            return request.build().toByteArray();
        }
    },
    V2(RemoteWriteConfig.PROTOBUF_V2, "application/x-protobuf;proto=io.prometheus.write.v2.Request", "2.0.0") {
        @Override
        byte[] protobuf(List<SeriesBuffer.SeriesSamples> batch) {
            RemoteWriteV2.Request.Builder request = RemoteWriteV2.Request.newBuilder();
            Map<String, Integer> symbols = new HashMap<>();
            request.addSymbols("");
            symbols.put("", 0);
            for (SeriesBuffer.SeriesSamples series : batch) {
                RemoteWriteV2.TimeSeries.Builder ts = request.addTimeseriesBuilder();
                Labels labels = series.labels();
                for (int i = 0; i < labels.size(); i++) {
                    ts.addLabelsRefs(symbol(request, symbols, labels.name(i)));
                    ts.addLabelsRefs(symbol(request, symbols, labels.value(i)));
                }
                for (int i = 0; i < series.timestamps().length; i++) {
                    ts.addSamplesBuilder().setTimestamp(series.timestamps()[i]).setValue(series.values()[i]);
                }
            }
            return request.build().toByteArray();
        }

        private int symbol(RemoteWriteV2.Request.Builder request, Map<String, Integer> symbols, String text) {
            Integer ref = symbols.get(text);
            if (ref == null) {
                ref = symbols.size();
                symbols.put(text, ref);
                request.addSymbols(text);
            }
            return ref;
        }
    };

    private final String protobufMessage;
    private final String contentType;
    private final String protocolVersion;

    WriteRequestEncoder(String protobufMessage, String contentType, String protocolVersion) {
        this.protobufMessage = protobufMessage;
        this.contentType = contentType;
        this.protocolVersion = protocolVersion;
    }

    /** The encoder for a {@code protobuf_message} setting. */
    public static WriteRequestEncoder forMessage(String protobufMessage) {
        for (WriteRequestEncoder encoder : values()) {
            if (encoder.protobufMessage.equals(protobufMessage)) {
                return encoder;
            }
        }
        throw new IllegalArgumentException("unknown remote write protobuf_message " + protobufMessage);
    }

    abstract byte[] protobuf(List<SeriesBuffer.SeriesSamples> batch);

    /** The snappy-compressed request body. */
    public byte[] encode(List<SeriesBuffer.SeriesSamples> batch) {
        try {
            return Snappy.compress(protobuf(batch));
        } catch (IOException e) {
            throw new UncheckedIOException("snappy compression failed", e);
        }
    }

    public String contentType() {
        return contentType;
    }

    /** Value of {@code X-Prometheus-Remote-Write-Version}. */
    public String protocolVersion() {
        return protocolVersion;
    }
}

package io.kprom.standalone.fault.corpus;

import io.kprom.schemas.remotewrite.v1.RemoteWriteV1;
import io.kprom.schemas.remotewrite.v2.RemoteWriteV2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.xerial.snappy.Snappy;

/**
 * One garbage {@code POST /api/v1/write} body of the corpus and the receiver's exact answer.
 *
 * @param name case name
 * @param contentType Content-Type header, or null to send none
 * @param contentEncoding Content-Encoding header, or null to send none
 * @param body request body
 * @param status expected HTTP status
 * @param response expected response body (the receiver answers plain text)
 */
public record RemoteWriteCase(String name, String contentType, String contentEncoding, byte[] body, int status,
        String response) {
    static final String V1 = "application/x-protobuf";
    static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    @Override
    public String toString() {
        return name;
    }

    public static List<RemoteWriteCase> all() {
        byte[] random = new byte[2048];
        new Random(7).nextBytes(random);
        return List.of(
                new RemoteWriteCase("not_snappy", V1, "snappy", "hello, not snappy".getBytes(StandardCharsets.UTF_8), 400,
                        "cannot decompress snappy body: FAILED_TO_UNCOMPRESS(5)"),
                new RemoteWriteCase("snappy_of_garbage_protobuf", V1, "snappy", snappy(random), 400,
                        "cannot decode protobuf body: While parsing a protocol message, the input ended unexpectedly in"
                                + " the middle of a field.  This could mean either that the input has been truncated or"
                                + " that an embedded message misreported its own length."),
                new RemoteWriteCase("empty_body", V1, "snappy", new byte[0], 400,
                        "cannot decompress snappy body: PARSING_ERROR(2)"),
                new RemoteWriteCase("json_content_type", "application/json", "snappy", snappy(validV1()), 415,
                        "unsupported Content-Type \"application/json\"; expected application/x-protobuf"),
                new RemoteWriteCase("gzip_encoding", V1, "gzip", snappy(validV1()), 415,
                        "unsupported Content-Encoding \"gzip\"; only snappy is supported"),
                new RemoteWriteCase("unknown_proto", "application/x-protobuf;proto=example.Unknown", "snappy",
                        snappy(validV1()), 415, "unsupported proto \"example.Unknown\"; expected prometheus.WriteRequest"
                                + " or io.prometheus.write.v2.Request"),
                new RemoteWriteCase("duplicate_label_name", V1, "snappy", snappy(duplicateLabelV1()), 400,
                        "labels not sorted or duplicate label name \"job\" in [__name__, corpus_pushed, job, a, job, b]"),
                new RemoteWriteCase("v2_symbols_not_starting_empty", V2, "snappy", snappy(badSymbolsV2()), 400,
                        "symbols[0] must be the empty string"),
                new RemoteWriteCase("v2_label_ref_out_of_range", V2, "snappy", snappy(outOfRangeRefV2()), 400,
                        "label reference out of range of the symbols table"));
    }

    static byte[] snappy(byte[] bytes) {
        try {
            return Snappy.compress(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] validV1() {
        return RemoteWriteV1.WriteRequest.newBuilder().addTimeseries(RemoteWriteV1.TimeSeries.newBuilder()
                .addLabels(label("__name__", "corpus_pushed")).addLabels(label("job", "push"))
                .addSamples(RemoteWriteV1.Sample.newBuilder().setValue(1).setTimestamp(System.currentTimeMillis())))
                .build().toByteArray();
    }

    private static byte[] duplicateLabelV1() {
        return RemoteWriteV1.WriteRequest.newBuilder().addTimeseries(RemoteWriteV1.TimeSeries.newBuilder()
                .addLabels(label("__name__", "corpus_pushed")).addLabels(label("job", "a")).addLabels(label("job", "b"))
                .addSamples(RemoteWriteV1.Sample.newBuilder().setValue(1).setTimestamp(System.currentTimeMillis())))
                .build().toByteArray();
    }

    private static byte[] badSymbolsV2() {
        return RemoteWriteV2.Request.newBuilder().addSymbols("__name__").addSymbols("corpus_pushed")
                .addTimeseries(RemoteWriteV2.TimeSeries.newBuilder().addLabelsRefs(0).addLabelsRefs(1)
                        .addSamples(RemoteWriteV2.Sample.newBuilder().setValue(1).setTimestamp(System.currentTimeMillis())))
                .build().toByteArray();
    }

    private static byte[] outOfRangeRefV2() {
        return RemoteWriteV2.Request.newBuilder().addSymbols("").addSymbols("__name__").addSymbols("corpus_pushed")
                .addTimeseries(RemoteWriteV2.TimeSeries.newBuilder().addLabelsRefs(1).addLabelsRefs(99)
                        .addSamples(RemoteWriteV2.Sample.newBuilder().setValue(1).setTimestamp(System.currentTimeMillis())))
                .build().toByteArray();
    }

    private static RemoteWriteV1.Label label(String name, String value) {
        return RemoteWriteV1.Label.newBuilder().setName(name).setValue(value).build();
    }
}

package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.schemas.avro.ScrapeBatch;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SkippingDeserializerTest {
    private final Deserializer<ScrapeBatch> skipping = KpromSerdes.skipping(KpromSerdes.scrapeBatch(Map.of()), Map.of()).deserializer();

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "text, 68656c6c6f, bad_header",
        "unknown fingerprint, c3010102030405060708aa, unknown_fingerprint",
        "corrupt body, c301" + "0000000000000000" + "ff, unknown_fingerprint",
    })
    void countsByReasonAndReturnsNull(String name, String hex, String reasonLabel) {
        String topic = "skip-" + name.replace(' ', '-');
        DecodeErrorReason reason = reasonOf(reasonLabel);
        long before = DecodeErrors.count(topic, reason);

        assertThat(skipping.deserialize(topic, hex(hex))).isNull();
        assertThat(skipping.deserialize(topic, hex(hex))).isNull();

        assertThat(DecodeErrors.count(topic, reason)).isEqualTo(before + 2);
    }

    @Test
    void corruptPayloadBehindTheRightFingerprintIsCorruptPayload() {
        byte[] good = KpromSerdes.scrapeBatch(Map.of()).serializer().serialize("t", TestBatches.scrapeBatch(3));
        byte[] cut = java.util.Arrays.copyOf(good, good.length / 2);
        long before = DecodeErrors.count("skip-cut", DecodeErrorReason.CORRUPT_PAYLOAD);

        assertThat(skipping.deserialize("skip-cut", cut)).isNull();

        assertThat(DecodeErrors.count("skip-cut", DecodeErrorReason.CORRUPT_PAYLOAD)).isEqualTo(before + 1);
    }

    @Test
    void goodValuesPassThrough() {
        ScrapeBatch batch = TestBatches.scrapeBatch(4);
        byte[] bytes = KpromSerdes.scrapeBatch(Map.of()).serializer().serialize("t", batch);
        assertThat(skipping.deserialize("t", bytes)).isEqualTo(batch);
        assertThat(skipping.deserialize("t", null)).isNull();
    }

    private static DecodeErrorReason reasonOf(String label) {
        for (DecodeErrorReason reason : DecodeErrorReason.values()) {
            if (reason.label().equals(label)) {
                return reason;
            }
        }
        throw new IllegalArgumentException(label);
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}

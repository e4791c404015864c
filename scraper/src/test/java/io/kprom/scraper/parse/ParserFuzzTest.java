package io.kprom.scraper.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutated and truncated payloads: the parsers either succeed or throw {@link ExpositionFormatException},
 * never anything else, and never loop forever.
 */
class ParserFuzzTest {
    private static final String TEXT = """
            # HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
            # TYPE node_cpu_seconds_total counter
            node_cpu_seconds_total{cpu="0",mode="idle"} 2.58277616e+06 1395066363000
            node_cpu_seconds_total{cpu="0",mode="user\\\\x\\"y\\n"} 1.5
            # TYPE rpc summary
            rpc{quantile="0.5"} NaN
            rpc_sum +Inf
            rpc_count -Inf
            {"utf8.name",a="b"} 1
            """;
    private static final String OPENMETRICS = """
            # TYPE foo_seconds histogram
            # UNIT foo_seconds seconds
            # HELP foo_seconds Help \\"quoted\\" and \\\\ \\n.
            foo_seconds_bucket{le="0.1"} 3 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.067 1520879602.1
            foo_seconds_bucket{le="+Inf"} 8
            foo_seconds_count 8
            foo_seconds_sum 1.25
            foo_seconds_created 1520430000.123
            # TYPE state stateset
            state{state="a"} 1
            # EOF
            """;
    private static final byte[] ALPHABET = " \t\n#{}=\",\\._aZ09+-eEInfNa\u00c3".getBytes(StandardCharsets.ISO_8859_1);

    @ParameterizedTest(name = "{0}")
    @EnumSource(ExpositionFormat.class)
    void mutatedAndTruncatedPayloadsOnlyEverFailWithFormatErrors(ExpositionFormat format) {
        byte[] original = switch (format) {
            case OPENMETRICS -> OPENMETRICS.getBytes(StandardCharsets.UTF_8);
            case PROMETHEUS_TEXT -> TEXT.getBytes(StandardCharsets.UTF_8);
            case PROMETHEUS_PROTOBUF -> ProtobufPayloads.delimited(ProtobufPayloads.sample());
        };
        Random random = new Random(42);
        int succeeded = 0;
        int failed = 0;
        for (int round = 0; round < 20_000; round++) {
            byte[] body = mutate(original, random);
            int length = random.nextInt(4) == 0 ? random.nextInt(body.length + 1) : body.length;
            ExpositionParser parser = format.parser(body, length, new StringTable(64));
            try {
                int entries = 0;
                while (parser.next() != null) {
                    entries++;
                    // A two-byte protobuf histogram message expands to three samples.
                    assertThat(entries).isLessThanOrEqualTo(3 * body.length + 3);
                }
                succeeded++;
            } catch (ExpositionFormatException e) {
                assertThat(e.getMessage()).startsWith("line ");
                failed++;
            }
        }
        assertThat(succeeded).isPositive();
        assertThat(failed).isPositive();
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] body = original.clone();
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            int at = random.nextInt(body.length);
            switch (random.nextInt(3)) {
                case 0 -> body[at] = ALPHABET[random.nextInt(ALPHABET.length)];
                case 1 -> body[at] = (byte) random.nextInt(256);
                default -> {
                    byte[] shorter = new byte[body.length - 1];
                    System.arraycopy(body, 0, shorter, 0, at);
                    System.arraycopy(body, at + 1, shorter, at, body.length - at - 1);
                    body = shorter;
                }
            }
        }
        return body;
    }

    static Stream<ExpositionFormat> formats() {
        return Stream.of(ExpositionFormat.values());
    }
}

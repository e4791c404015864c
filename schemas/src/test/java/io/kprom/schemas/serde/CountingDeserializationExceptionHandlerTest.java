package io.kprom.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

class CountingDeserializationExceptionHandlerTest {
    private static final byte[] GARBAGE = {1, 2, 3};

    @Test
    void countsAndResumesWithoutDeadLetters() {
        CountingDeserializationExceptionHandler handler = new CountingDeserializationExceptionHandler();
        handler.configure(Map.of());
        long before = DecodeErrors.count("streams-in", DecodeErrorReason.BAD_HEADER);

        DeserializationExceptionHandler.Response response = handler.handleError(new Context(), record(), decodeFailure());

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
        assertThat(DecodeErrors.count("streams-in", DecodeErrorReason.BAD_HEADER)).isEqualTo(before + 1);
    }

    @Test
    void sendsTheRawRecordToTheDeadLetterTopicWithReasonHeaders() {
        CountingDeserializationExceptionHandler handler = new CountingDeserializationExceptionHandler();
        handler.configure(Map.of(DeadLetterTopic.TOPIC_CONFIG, "streams-in.dlq"));

        var response = handler.handleError(new Context(), record(), decodeFailure());

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement().satisfies(dead -> {
            assertThat(dead.topic()).isEqualTo("streams-in.dlq");
            assertThat(dead.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
            assertThat(dead.value()).isEqualTo(GARBAGE);
            assertThat(header(dead.headers(), DeadLetterTopic.HEADER_TOPIC)).isEqualTo("streams-in");
            assertThat(header(dead.headers(), DeadLetterTopic.HEADER_REASON)).isEqualTo("bad_header");
            assertThat(header(dead.headers(), DeadLetterTopic.HEADER_ERROR)).contains("not Avro");
            assertThat(header(dead.headers(), "trace")).isEqualTo("t1");
        });
    }

    private static DecodeException decodeFailure() {
        try {
            KpromSerdes.scrapeBatch(Map.of()).deserializer().deserialize("streams-in", GARBAGE);
            throw new AssertionError("garbage decoded");
        } catch (DecodeException e) {
            return e;
        }
    }

    private static ConsumerRecord<byte[], byte[]> record() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t1".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>("streams-in", 0, 7L, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                1, GARBAGE.length, "k".getBytes(StandardCharsets.UTF_8), GARBAGE, headers, java.util.Optional.empty());
    }

    private static String header(Headers headers, String key) {
        return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    /** The record context Streams passes in; only identifies the record here. */
    private static final class Context implements ErrorHandlerContext {
        @Override public String topic() { return "streams-in"; }
        @Override public int partition() { return 0; }
        @Override public long offset() { return 7L; }
        @Override public Headers headers() { return new RecordHeaders(); }
        @Override public String processorNodeId() { return "source"; }
        @Override public TaskId taskId() { return new TaskId(0, 0); }
        @Override public long timestamp() { return 0L; }
        @Override public byte[] sourceRawKey() { return "k".getBytes(StandardCharsets.UTF_8); }
        @Override public byte[] sourceRawValue() { return GARBAGE; }
    }
}

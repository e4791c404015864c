package io.kprom.processor.kafka;

import io.kprom.processor.metrics.ProcessorMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips an undecodable input record, counting it as
 * {@code kprom_processor_records_dropped_total{reason="undecodable"}}; processing continues.
 */
public final class CountingDeserializationExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationExceptionHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        ProcessorMetrics.RECORDS_DROPPED.labelValues("undecodable").inc();
        LOG.warn("dropping undecodable record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                exception.getMessage());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}

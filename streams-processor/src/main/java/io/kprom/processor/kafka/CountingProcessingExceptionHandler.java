package io.kprom.processor.kafka;

import io.kprom.processor.metrics.ProcessorMetrics;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips a record whose processing threw (e.g. an invalid label set), counting it as
 * {@code kprom_processor_records_dropped_total{reason="processing_error"}}; processing continues.
 */
public final class CountingProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CountingProcessingExceptionHandler.class);

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        ProcessorMetrics.RECORDS_DROPPED.labelValues("processing_error").inc();
        LOG.warn("dropping record {}-{}@{} after a processing error in {}: {}", context.topic(), context.partition(),
                context.offset(), context.processorNodeId(), exception.toString());
        return Response.resume();
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}

package io.kprom.standalone.fault.corpus;

import java.io.IOException;
import java.util.Map;

/**
 * The pipeline a cardinality-bomb test drives: broker, sink, processor (with a job's active-series
 * limit) and scraper, either all in this JVM ({@link OneJvmPipeline}) or each component in a JVM of its
 * own ({@link PerComponentPipeline}, so memory is measured per component). Close once.
 */
public interface BombPipeline extends AutoCloseable {
    /** The listener serving the query API. */
    PipelineApi queries() throws IOException;

    /** The listener whose {@code /metrics} carries the processor's counters. */
    PipelineApi processorMetrics() throws IOException;

    /** Every web listener of the pipeline by name, for {@code /-/ready}. */
    Map<String, PipelineApi> listeners() throws IOException;

    /** Heap after a full GC and RSS of each JVM the pipeline runs in, by name. */
    Map<String, MemoryReport> memory() throws IOException;

    @Override
    void close();
}

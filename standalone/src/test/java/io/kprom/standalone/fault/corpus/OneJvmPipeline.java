package io.kprom.standalone.fault.corpus;

import io.kprom.common.kafka.TopicCatalogue;
import io.kprom.processor.config.SeriesLimits;
import io.kprom.standalone.StandaloneOptions;
import io.kprom.standalone.StandaloneRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The whole {@link LimitedPipeline} and its embedded broker in this JVM; memory is this JVM's. */
public final class OneJvmPipeline implements BombPipeline {
    private final StandaloneRunner runner;
    private final PipelineApi api;

    public OneJvmPipeline(Path config, Path dataDir, SeriesLimits limits, TopicCatalogue catalogue) throws Exception {
        runner = new StandaloneRunner(new StandaloneOptions(config, dataDir, "127.0.0.1:0", "127.0.0.1", 0,
                Duration.ofSeconds(180)), LimitedPipeline.factories(limits),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), catalogue);
        try {
            runner.start();
        } catch (Exception e) {
            runner.close();
            throw e;
        }
        api = new PipelineApi(runner.webPort());
    }

    @Override
    public PipelineApi queries() {
        return api;
    }

    @Override
    public PipelineApi processorMetrics() {
        return api;
    }

    @Override
    public Map<String, PipelineApi> listeners() {
        return Map.of("pipeline", api);
    }

    @Override
    public Map<String, MemoryReport> memory() {
        return Map.of("whole JVM", MemoryReport.now());
    }

    @Override
    public void close() {
        runner.close();
    }
}

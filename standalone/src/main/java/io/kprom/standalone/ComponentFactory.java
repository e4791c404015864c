package io.kprom.standalone;

import io.kprom.common.lifecycle.Component;

/**
 * Creates one kprom component (scraper, processor, sink, evaluator) for {@code kprom standalone}.
 * Called once per run, after Kafka is up and the topics exist, and before anything starts; the
 * factory may mount HTTP routes through {@link StandaloneContext#route}. The runner then calls
 * {@link Component#start()} in factory order and {@link Component#close()} in reverse order.
 */
@FunctionalInterface
public interface ComponentFactory {
    Component create(StandaloneContext context) throws Exception;
}

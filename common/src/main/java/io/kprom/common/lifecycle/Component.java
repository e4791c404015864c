package io.kprom.common.lifecycle;

/**
 * A long-running part of kprom (scraper, processor, sink, evaluator) that the {@code kprom}
 * command starts and stops. {@link #start()} returns once the component is running (or throws
 * with the reason it cannot start); {@link #close()} stops it and releases everything, and is
 * called once. {@link #ready()} is polled by {@code /-/ready}.
 */
public interface Component extends AutoCloseable {
    String name();

    void start() throws Exception;

    default boolean ready() {
        return true;
    }

    @Override
    void close() throws Exception;
}

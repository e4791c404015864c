package io.kprom.standalone.fault.outage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one logger (and its children) to DEBUG for the duration of a test and restores its level on close, so
 * other tests in the same JVM keep their logging. Not thread-safe: open and close from the test thread.
 */
public final class DebugLogging implements AutoCloseable {
    private final Logger logger;
    private final Level previous;

    public DebugLogging(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
    }

    @Override
    public void close() {
        logger.setLevel(previous);
    }
}

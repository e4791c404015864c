package io.kprom.standalone;

/** Standalone mode could not start; the message says which part and why. */
public final class StartupException extends Exception {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}

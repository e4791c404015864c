package io.kprom.sink.storage;

/** The store could not read or write its files; the message says which operation and where. */
public final class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}

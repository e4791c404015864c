package io.kprom.scraper.remotewrite;

/** A remote-write request that cannot be accepted; {@link #status()} is the HTTP status to answer (400 or 415). */
public final class RemoteWriteException extends Exception {
    private final int status;

    public RemoteWriteException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}

package io.kprom.sink.storage;

/** Why a sample was not stored; each is counted (label {@code reason} of the self-metric). */
public enum RejectReason {
    /** Older than the series' newest sample by more than the out-of-order window. */
    OUT_OF_ORDER("out_of_order"),
    /** Older than the retention horizon (the store's newest timestamp minus the retention time). */
    TOO_OLD("too_old"),
    /** Same timestamp as a stored sample but a different value (same value is silently ignored). */
    DUPLICATE_TIMESTAMP("duplicate_timestamp");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    /** The value of the {@code reason} label. */
    public String label() {
        return label;
    }
}

package io.kprom.schemas.serde;

/**
 * Why a record value could not be decoded; {@link #label()} is the {@code reason} label of
 * {@code kprom_decode_errors_total}.
 */
public enum DecodeErrorReason {
    /** Neither the Confluent magic byte {@code 00} nor the single-object marker {@code C3 01}, or a header cut short. */
    BAD_HEADER("bad_header"),
    /** Confluent wire format with a schema id the registry does not know (HTTP 404, error code 40403). */
    UNKNOWN_SCHEMA_ID("unknown_schema_id"),
    /** Single-object encoding with a fingerprint that matches none of the bundled schemas. */
    UNKNOWN_FINGERPRINT("unknown_fingerprint"),
    /** The header was fine but the Avro body could not be read with the writer schema. */
    CORRUPT_PAYLOAD("corrupt_payload"),
    /** The writer schema is not a record of the expected type (e.g. an AlertEvent on metrics.raw). */
    WRONG_SCHEMA("wrong_schema"),
    /** The schema registry could not be reached or answered with an error other than "not found". */
    REGISTRY_UNAVAILABLE("registry_unavailable");

    private final String label;

    DecodeErrorReason(String label) {
        this.label = label;
    }

    /** The metric label value, e.g. {@code unknown_schema_id}. */
    public String label() {
        return label;
    }
}

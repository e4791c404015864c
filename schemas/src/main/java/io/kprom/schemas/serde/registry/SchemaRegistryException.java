package io.kprom.schemas.serde.registry;

/**
 * An error answer from a schema registry (HTTP status and the registry's {@code error_code}), or
 * no answer at all ({@link #httpStatus()} is 0).
 *
 * <p>Error codes the Confluent REST API documents: 40401 subject not found, 40402 version not found,
 * 40403 schema not found, 409 incompatible schema, 42201 invalid schema, 42202 invalid version,
 * 50001-50003 backend errors.
 */
public final class SchemaRegistryException extends RuntimeException {
    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;
    public static final int INCOMPATIBLE_SCHEMA = 409;
    public static final int INVALID_SCHEMA = 42201;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = 0;
        this.errorCode = 0;
    }

    /** The HTTP status, 0 when no registry answered. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40403), or the HTTP status when the body had none. */
    public int errorCode() {
        return errorCode;
    }

    /** True for 404 answers: unknown subject, version or schema id. */
    public boolean notFound() {
        return httpStatus == 404;
    }

    /** True when retrying later may help: no answer, or a 5xx answer. */
    public boolean retriable() {
        return httpStatus == 0 || httpStatus >= 500;
    }
}

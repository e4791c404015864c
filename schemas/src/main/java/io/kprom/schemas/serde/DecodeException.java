package io.kprom.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that kprom's deserializers cannot decode. Carries the {@link DecodeErrorReason}
 * so error handlers ({@link SkippingDeserializer}, {@link CountingDeserializationExceptionHandler})
 * can count it by reason.
 */
public final class DecodeException extends SerializationException {
    private final DecodeErrorReason reason;

    public DecodeException(DecodeErrorReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public DecodeException(DecodeErrorReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DecodeErrorReason reason() {
        return reason;
    }

    /** The reason of {@code error} or of a {@link DecodeException} in its cause chain; otherwise corrupt payload. */
    public static DecodeErrorReason reasonOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof DecodeException decode) {
                return decode.reason();
            }
        }
        return DecodeErrorReason.CORRUPT_PAYLOAD;
    }
}

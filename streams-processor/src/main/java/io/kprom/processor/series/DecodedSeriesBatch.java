package io.kprom.processor.series;

import io.kprom.schemas.avro.Series;
import io.kprom.schemas.avro.SeriesBatch;
import java.util.Collections;
import java.util.List;

/**
 * A {@link SeriesBatch} decoded by {@link PassThroughSeriesSerde}, still holding the record bytes it
 * was decoded from, so forwarding it unchanged costs no re-encoding. Its series list is
 * unmodifiable and replacing it ({@link #setSeries}, {@link #put}) forgets the bytes; the
 * {@link Series} objects themselves must not be changed (the series stage only reads them).
 * Not thread-safe, like every Avro record.
 */
final class DecodedSeriesBatch extends SeriesBatch {
    private byte[] encoded;

    DecodedSeriesBatch(List<Series> series, byte[] encoded) {
        super(Collections.unmodifiableList(series));
        this.encoded = encoded;
    }

    /** The bytes this batch was decoded from, or null once its series were replaced. Shared: never modify them. */
    byte[] encoded() {
        return encoded;
    }

    @Override
    public void setSeries(List<Series> value) {
        encoded = null;
        super.setSeries(value);
    }

    @Override
    public void put(int field, Object value) {
        encoded = null;
        super.put(field, value);
    }
}

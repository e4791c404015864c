package io.kprom.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The schema versions kprom ships: the current one (the generated class's) and the last released
 * one, kept as {@code /io/kprom/schemas/released/<Name>.avsc} (self-contained, every named type inline).
 * The no-registry decoder resolves writer fingerprints against these.
 */
public final class BundledSchemas {
    /** Record types with a released schema, i.e. every topic value. */
    public static final List<String> TOPIC_VALUE_TYPES = List.of("ScrapeBatch", "SeriesBatch", "MetricMetadata", "AlertEvent");

    private BundledSchemas() {
    }

    /** The last released schema of {@code simpleName}, or null when it was never released. */
    public static Schema released(String simpleName) {
        String resource = "/io/kprom/schemas/released/" + simpleName + ".avsc";
        try (InputStream in = BundledSchemas.class.getResourceAsStream(resource)) {
            return in == null ? null : new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    /** Every schema that may have written a value of {@code current}'s type: released, then current. */
    static List<Schema> writerSchemas(Schema current) {
        List<Schema> schemas = new ArrayList<>();
        Schema released = released(current.getName());
        if (released != null) {
            schemas.add(released);
        }
        schemas.add(current);
        return schemas;
    }
}

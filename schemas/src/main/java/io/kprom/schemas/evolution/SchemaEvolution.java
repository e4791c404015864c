package io.kprom.schemas.evolution;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * kprom's evolution rule: every schema change is BACKWARD compatible, i.e. a consumer on the new
 * schema reads everything written with the last released one (checked with Avro's
 * {@link SchemaCompatibility}). Add fields with defaults; never remove or retype a field without a
 * default, never remove an enum symbol without an enum default.
 */
public final class SchemaEvolution {
    private SchemaEvolution() {
    }

    /**
     * What keeps {@code current} from reading data written with {@code released}; empty when the
     * change is BACKWARD compatible.
     */
    public static List<String> backwardIncompatibilities(Schema current, Schema released) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, released);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return List.of();
        }
        return result.getResult().getIncompatibilities().stream().map(SchemaEvolution::describe).toList();
    }

    private static String describe(Incompatibility incompatibility) {
        return incompatibility.getType() + " at " + incompatibility.getLocation() + ": " + incompatibility.getMessage();
    }
}

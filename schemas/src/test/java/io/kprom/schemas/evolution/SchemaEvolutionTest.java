package io.kprom.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.schemas.avro.AlertEvent;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.SeriesBatch;
import io.kprom.schemas.serde.BundledSchemas;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every topic value schema stays BACKWARD compatible with its last released version
 * (src/main/resources/io/kprom/schemas/released). When this fails, fix the schema change (add a default,
 * keep the field); do not edit the released file unless you are cutting a release.
 */
class SchemaEvolutionTest {
    static Stream<Arguments> currentSchemas() {
        return Stream.of(
                Arguments.of("ScrapeBatch", ScrapeBatch.getClassSchema()),
                Arguments.of("SeriesBatch", SeriesBatch.getClassSchema()),
                Arguments.of("MetricMetadata", MetricMetadata.getClassSchema()),
                Arguments.of("AlertEvent", AlertEvent.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void currentSchemaReadsEverythingTheReleasedOneWrote(String name, Schema current) {
        Schema released = BundledSchemas.released(name);
        assertThat(released).as("released schema of " + name).isNotNull();
        assertThat(SchemaEvolution.backwardIncompatibilities(current, released)).isEmpty();
    }

    @Test
    void everyTopicValueTypeHasAReleasedSchema() {
        assertThat(BundledSchemas.TOPIC_VALUE_TYPES).allSatisfy(name -> assertThat(BundledSchemas.released(name)).isNotNull());
    }

    static Stream<Arguments> incompatibleChanges() {
        return Stream.of(
                Arguments.of("new field without a default", "ScrapeBatch",
                        (Change) json -> json.replace("\"fields\" : [ {\n    \"name\" : \"source\"",
                                "\"fields\" : [ {\"name\": \"shard\", \"type\": \"int\"}, {\n    \"name\" : \"source\"")),
                Arguments.of("field type changed from string to int", "MetricMetadata",
                        (Change) json -> json.replaceFirst("\"type\" : \\{\n      \"type\" : \"string\",\n      \"avro.java.string\" : \"String\"\n    \\}",
                                "\"type\" : \"int\"")),
                Arguments.of("enum symbol removed without enum default", "AlertEvent",
                        (Change) json -> json.replace("\"symbols\" : [ \"INACTIVE\", \"PENDING\", \"FIRING\", \"RESOLVED\" ],\n      \"default\" : \"INACTIVE\"",
                                "\"symbols\" : [ \"INACTIVE\", \"PENDING\", \"FIRING\" ]")));
    }

    /** A deliberately incompatible edit of the released schema, standing in for a bad change to a .avsc. */
    interface Change {
        String apply(String schemaJson);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("incompatibleChanges")
    void theCheckFailsOnIncompatibleVariants(String name, String type, Change change) {
        Schema released = BundledSchemas.released(type);
        String variantJson = change.apply(released.toString(true));
        assertThat(variantJson).as("the edit applied").isNotEqualTo(released.toString(true));
        Schema variant = new Schema.Parser().parse(variantJson);

        assertThat(SchemaEvolution.backwardIncompatibilities(variant, released)).isNotEmpty();
    }

    @Test
    void addingAFieldWithADefaultIsCompatible() {
        Schema released = BundledSchemas.released("MetricMetadata");
        Schema variant = new Schema.Parser().parse(released.toString(true).replace("\"fields\" : [ {",
                "\"fields\" : [ {\"name\": \"sourceJob\", \"type\": \"string\", \"default\": \"\"}, {"));
        assertThat(SchemaEvolution.backwardIncompatibilities(variant, released)).isEmpty();
    }
}

package io.kprom.schemas.serde.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry REST API that kprom's serdes need. Implementations
 * cache both directions (subject+schema to id, id to schema) and are thread-safe.
 */
public interface SchemaRegistryClient {
    /**
     * The id of {@code schema} under {@code subject}, registering it when it is new
     * ({@code POST /subjects/{subject}/versions}).
     *
     * @throws SchemaRegistryException on an error answer (409 incompatible, 422 invalid, ...) or when no
     *     registry URL answers
     */
    int register(String subject, Schema schema);

    /**
     * The id of {@code schema} when it is already registered under {@code subject}
     * ({@code POST /subjects/{subject}}), without registering it.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#notFound()} true when the subject
     *     or the schema is unknown
     */
    int lookup(String subject, Schema schema);

    /**
     * The schema with this global id ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#notFound()} true when no schema
     *     has the id (HTTP 404, error code 40403)
     */
    Schema schemaById(int id);
}

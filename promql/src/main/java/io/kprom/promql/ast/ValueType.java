package io.kprom.promql.ast;

/** The type a PromQL expression evaluates to. */
public enum ValueType {
    SCALAR("scalar", "scalar"),
    VECTOR("vector", "instant vector"),
    MATRIX("matrix", "range vector"),
    STRING("string", "string");

    private final String apiName;
    private final String documentedName;

    ValueType(String apiName, String documentedName) {
        this.apiName = apiName;
        this.documentedName = documentedName;
    }

    /** The name used in the HTTP API's {@code resultType}: scalar, vector, matrix, string. */
    public String apiName() {
        return apiName;
    }

    /** The name used in error messages and docs: scalar, instant vector, range vector, string. */
    public String documentedName() {
        return documentedName;
    }
}

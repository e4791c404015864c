package io.kprom.standalone.fault.corpus;

import java.util.List;

/**
 * One hostile query of the corpus, sent as a form-encoded {@code POST /api/v1/query} (a 1 MB query does
 * not fit in a URL, as with Prometheus).
 *
 * @param name case name
 * @param query the PromQL text
 * @param status expected HTTP status
 * @param errorType expected Prometheus {@code errorType}; null for a successful answer
 * @param error expected Prometheus {@code error} text; for a successful answer, the expected
 *              {@code data.resultType}
 */
public record PromqlCase(String name, String query, int status, String errorType, String error) {
    static final int DEEP = 10_000;
    static final int ONE_MEBIBYTE = 1 << 20;

    @Override
    public String toString() {
        return name;
    }

    public static List<PromqlCase> all() {
        String tooDeep = "expression nested too deeply (more than 256 levels)";
        return List.of(
                bad("parentheses_10000_deep", "(".repeat(DEEP) + "1" + ")".repeat(DEEP), "1:257: parse error: " + tooDeep),
                bad("function_calls_10000_deep", "abs(".repeat(DEEP) + "up" + ")".repeat(DEEP),
                        "1:1025: parse error: " + tooDeep),
                bad("aggregations_10000_deep", "sum(".repeat(DEEP) + "up" + ")".repeat(DEEP),
                        "1:1025: parse error: " + tooDeep),
                bad("unary_minus_10000_deep", "-".repeat(DEEP) + "1", "1:257: parse error: " + tooDeep),
                bad("subqueries_10000_deep", "max_over_time(".repeat(DEEP) + "up" + "[1m:])".repeat(DEEP),
                        "1:3585: parse error: " + tooDeep),
                bad("binary_chain_1_mebibyte", "up + ".repeat(ONE_MEBIBYTE / 5) + "up",
                        "1:1276: parse error: " + tooDeep),
                bad("unterminated_string_1_mebibyte", "up{job=\"" + "a".repeat(ONE_MEBIBYTE),
                        "1:8: parse error: unterminated quoted string"),
                ok("matcher_value_1_mebibyte", "up{job=\"" + "a".repeat(ONE_MEBIBYTE) + "\"}", "vector"),
                bad("empty_query", "", "1:1: parse error: no expression found in input"),
                bad("unknown_function", "nope(up)", "1:1: parse error: unknown function with name \"nope\""),
                bad("invalid_regexp", "up{job=~\"(\"}", "1:4: parse error: error parsing regexp: missing closing ): `(`"),
                bad("invalid_utf8_replacement", "up\ufffd", "1:3: parse error: unexpected character: '\ufffd'"),
                bad("range_vector_in_instant_context", "up[5m] + 1",
                        "1:1: parse error: binary expression must contain only scalar and instant vector types"));
    }

    private static PromqlCase bad(String name, String query, String error) {
        return new PromqlCase(name, query, 400, "bad_data", "invalid parameter \"query\": " + error);
    }

    private static PromqlCase ok(String name, String query, String resultType) {
        return new PromqlCase(name, query, 200, null, resultType);
    }
}

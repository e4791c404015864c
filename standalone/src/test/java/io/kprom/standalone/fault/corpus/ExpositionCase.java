package io.kprom.standalone.fault.corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * One bad scrape body of the corpus: what the target answers and the {@code lastError} the targets API
 * must then show (the target is its own job, named like the case, so {@code up{job="<name>"}} is its
 * {@code up}).
 *
 * @param name case and job name (also the path {@code /corpus/<name>})
 * @param contentType the Content-Type the target answers with
 * @param status the HTTP status the target answers with
 * @param body the bytes the target answers
 * @param jobSettings extra scrape-config lines for this job (YAML, indented for a job entry), may be empty
 * @param expectedError the exact {@code lastError} (or its start, see {@code exact}); null when the scraper
 *                      accepts the body and a later stage rejects it (then only {@code up} 0 is expected)
 * @param exact whether {@code expectedError} is the whole message; false for the rows whose message the
 *              scraper's owner still has to make clear (reported), where only its stable start is pinned
 */
public record ExpositionCase(String name, String contentType, int status, byte[] body, String jobSettings,
        String expectedError, boolean exact) {
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    static final int ONE_MEBIBYTE = 1 << 20;

    @Override
    public String toString() {
        return name;
    }

    /** The corpus, one row per kind of bad input. */
    public static List<ExpositionCase> all() {
        return List.of(
                text("missing_value", "corpus_a{x=\"1\"}\n", "line 1: expected value after metric, got \"\\n\""),
                text("unquoted_label_value", "corpus_a{x=1} 1\n", "line 1: expected label value, got \"1}\""),
                text("unclosed_label_set", "corpus_a{x=\"1\" 1\n", "line 1: expected comma or closing brace, got \"1\""),
                text("bad_float", "corpus_a 1.2.3\n", "line 1: expected valid float value after metric, got \"1.2.3\""),
                text("bad_type_line", "# TYPE corpus_a countr\ncorpus_a 1\n", "line 1: invalid metric type \"countr\""),
                text("duplicate_label", "corpus_a{x=\"1\",x=\"2\"} 1\n", "line 1: duplicate label name \"x\""),
                text("error_on_line_three", "corpus_a 1\ncorpus_b 2\ncorpus_c{ 3\n",
                        "line 3: expected label name, got \"3\""),
                bytes("invalid_utf8_label_value", TEXT, concat("corpus_a{x=\"".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xff, (byte) 0xfe}, "\"} 1\n".getBytes(StandardCharsets.UTF_8)), "",
                        "line 1: invalid UTF-8 in ", false),
                bytes("invalid_utf8_help", TEXT, concat("# HELP corpus_a bad \u00e9 ".getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xc3, (byte) 0x28}, "\ncorpus_a 1\n".getBytes(StandardCharsets.UTF_8)), "",
                        "line 1: invalid UTF-8 in ", false),
                bytes("binary_garbage", TEXT, randomBytes(4096, 9), "", "line 1: expected metric name, got \"\\x0b", false),
                bytes("openmetrics_without_eof", OPENMETRICS, "corpus_a 1\n".getBytes(StandardCharsets.UTF_8), "",
                        "line 2: data does not end with # EOF"),
                bytes("openmetrics_data_after_eof", OPENMETRICS,
                        "corpus_a 1\n# EOF\ncorpus_b 2\n".getBytes(StandardCharsets.UTF_8), "",
                        "line 3: unexpected data after # EOF"),
                new ExpositionCase("http_500", TEXT, 500, "boom\n".getBytes(StandardCharsets.UTF_8), "",
                        "server returned HTTP status 500 Internal Server Error", true),
                bytes("body_size_limit", TEXT, largeValidBody(64 * 1024), "    body_size_limit: 16KB\n",
                        "body size limit exceeded"),
                bytes("one_mebibyte_label_value_limited", TEXT, oneMebibyteLabelValue(),
                        "    scrape_interval: 5s\n    label_value_length_limit: 1024\n", null));
    }

    private static ExpositionCase text(String name, String body, String expectedError) {
        return bytes(name, TEXT, body.getBytes(StandardCharsets.UTF_8), "", expectedError);
    }

    private static ExpositionCase bytes(String name, String contentType, byte[] body, String jobSettings,
            String expectedError) {
        return bytes(name, contentType, body, jobSettings, expectedError, true);
    }

    private static ExpositionCase bytes(String name, String contentType, byte[] body, String jobSettings,
            String expectedError, boolean exact) {
        return new ExpositionCase(name, contentType, 200, body, jobSettings, expectedError, exact);
    }

    static byte[] oneMebibyteLabelValue() {
        return ("corpus_huge{blob=\"" + "x".repeat(ONE_MEBIBYTE) + "\"} 1\n").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] largeValidBody(int bytes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < bytes; i++) {
            text.append("corpus_big{series=\"").append(i).append("\"} ").append(i).append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}

package io.kprom.scraper.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OpenMetricsParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("minimal", "# EOF\n", List.of()),
                Arguments.of("eof without newline", "a 1\n# EOF", List.of("a{} 1.0")),
                Arguments.of("counter with created and unit",
                        "# TYPE foo_seconds counter\n# UNIT foo_seconds seconds\n# HELP foo_seconds Time spent.\n"
                                + "foo_seconds_total{a=\"b\"} 17.5\nfoo_seconds_created{a=\"b\"} 1520430000.123\n# EOF\n",
                        List.of("TYPE foo_seconds COUNTER", "UNIT foo_seconds seconds", "HELP foo_seconds Time spent.",
                                "foo_seconds_total{a=b} 17.5", "foo_seconds_created{a=b} 1.520430000123E9")),
                Arguments.of("timestamps in seconds", "a 1 1520879607.789\nb 2 1520879607\n# EOF\n",
                        List.of("a{} 1.0 @1520879607789", "b{} 2.0 @1520879607000")),
                Arguments.of("exemplar with timestamp",
                        "# TYPE h histogram\nh_bucket{le=\"0.5\"} 3 # {trace_id=\"abc\"} 0.43 1520879607.7\n"
                                + "h_bucket{le=\"+Inf\"} 5\nh_count 5\nh_sum 2.5\n# EOF\n",
                        List.of("TYPE h HISTOGRAM", "h_bucket{le=0.5} 3.0 # {trace_id=abc} 0.43 @1520879607700",
                                "h_bucket{le=+Inf} 5.0", "h_count{} 5.0", "h_sum{} 2.5")),
                Arguments.of("exemplar after timestamp", "c_total 3 123 # {} 1\n# EOF\n",
                        List.of("c_total{} 3.0 @123000 # {} 1.0")),
                Arguments.of("all family types",
                        "# TYPE a gauge\n# TYPE b info\n# TYPE c stateset\n# TYPE d gaugehistogram\n# TYPE e summary\n# TYPE f unknown\n# EOF\n",
                        List.of("TYPE a GAUGE", "TYPE b INFO", "TYPE c STATESET", "TYPE d GAUGEHISTOGRAM", "TYPE e SUMMARY",
                                "TYPE f UNKNOWN")),
                Arguments.of("info and stateset samples",
                        "# TYPE build info\nbuild_info{version=\"1.2\"} 1\n# TYPE state stateset\nstate{state=\"a\"} 1\nstate{state=\"b\"} 0\n# EOF\n",
                        List.of("TYPE build INFO", "build_info{version=1.2} 1.0", "TYPE state STATESET", "state{state=a} 1.0",
                                "state{state=b} 0.0")),
                Arguments.of("special values", "a NaN\nb +Inf\nc -Inf\n# EOF\n", List.of("a{} NaN", "b{} Infinity", "c{} -Infinity")),
                Arguments.of("escapes in help and labels", "# HELP a x\\\\y\\\"z\\nw\na{l=\"q\\\"\\\\\\n\"} 1\n# EOF\n",
                        List.of("HELP a x\\y\"z\nw", "a{l=q\"\\\n} 1.0")),
                Arguments.of("empty help", "# HELP a \n# EOF\n", List.of("HELP a ")),
                Arguments.of("quoted name", "{\"a.b\",c=\"d\"} 1\n# EOF\n", List.of("a.b{c=d} 1.0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String name, String body, List<String> expected) throws Exception {
        assertThat(ParserTestSupport.render(ExpositionFormat.OPENMETRICS, body)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("no eof", "a 1\n", "line 2: data does not end with # EOF"),
                Arguments.of("empty body", "", "line 1: data does not end with # EOF"),
                Arguments.of("data after eof", "# EOF\na 1\n", "line 2: unexpected data after # EOF"),
                Arguments.of("missing value", "a\n# EOF\n", "line 1: expected value after metric, got \"\\n\""),
                Arguments.of("two spaces", "a  1\n# EOF\n", "line 1: expected valid float value after metric, got \" \""),
                Arguments.of("bad timestamp", "a 1 x\n# EOF\n", "line 1: expected timestamp or exemplar after value, got \"x\""),
                Arguments.of("nan timestamp", "a 1 NaN\n# EOF\n", "line 1: invalid timestamp NaN"),
                Arguments.of("unit not a suffix", "# UNIT a_bytes seconds\n# EOF\n", "line 1: unit \"seconds\" not a suffix of metric \"a_bytes\""),
                Arguments.of("bad type", "# TYPE a untyped\n# EOF\n", "line 1: invalid metric type \"untyped\""),
                Arguments.of("other comment", "# hello\n# EOF\n", "line 1: expected HELP, TYPE, UNIT or EOF after #, got \"hello\""),
                Arguments.of("blank line", "a 1\n\n# EOF\n", "line 2: expected metric name, got \"\\n\""),
                Arguments.of("bad exemplar", "a_total 1 # x\n# EOF\n", "line 1: expected label set in exemplar, got \"x\""),
                Arguments.of("spaces inside braces", "a{b=\"c\", d=\"e\"} 1\n# EOF\n", "line 1: expected label name, got \" \""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String name, String body, String message) {
        assertThatThrownBy(() -> ParserTestSupport.render(ExpositionFormat.OPENMETRICS, body))
                .isInstanceOf(ExpositionFormatException.class)
                .hasMessage(message);
    }
}

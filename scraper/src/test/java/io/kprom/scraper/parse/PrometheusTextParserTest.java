package io.kprom.scraper.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrometheusTextParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("plain sample", "up 1\n", List.of("up{} 1.0")),
                Arguments.of("no trailing newline", "up 1", List.of("up{} 1.0")),
                Arguments.of("labels and timestamp", "http_requests_total{method=\"post\",code=\"200\"} 1027 1395066363000\n",
                        List.of("http_requests_total{method=post,code=200} 1027.0 @1395066363000")),
                Arguments.of("help and type", "# HELP go_goroutines Number of goroutines.\n# TYPE go_goroutines gauge\ngo_goroutines 42\n",
                        List.of("HELP go_goroutines Number of goroutines.", "TYPE go_goroutines GAUGE", "go_goroutines{} 42.0")),
                Arguments.of("help escapes", "# HELP m a\\\\b\\nc \\\"d\n",
                        List.of("HELP m a\\b\nc \\\"d")),
                Arguments.of("empty help", "# HELP m\n", List.of("HELP m ")),
                Arguments.of("untyped", "# TYPE m untyped\n", List.of("TYPE m UNKNOWN")),
                Arguments.of("summary and histogram types", "# TYPE s summary\n# TYPE h histogram\n# TYPE c counter\n",
                        List.of("TYPE s SUMMARY", "TYPE h HISTOGRAM", "TYPE c COUNTER")),
                Arguments.of("other comments", "# some comment\n#\n# HELP\nup 1\n", List.of("COMMENT", "COMMENT", "COMMENT", "up{} 1.0")),
                Arguments.of("blank lines and indentation", "\n\n  up 1\n\t\nx 2\n", List.of("up{} 1.0", "x{} 2.0")),
                Arguments.of("tabs and spaces between tokens", "m{a = \"b\" , } \t 3 \t 17 \n", List.of("m{a=b} 3.0 @17")),
                Arguments.of("label value escapes", "m{a=\"x\\\\y\\\"z\\nw\\t\"} 1\n", List.of("m{a=x\\y\"z\nw\\t} 1.0")),
                Arguments.of("special values", "a NaN\nb +Inf\nc -Inf\nd inf\ne 1e3\nf -0.5\ng .5\nh 5.\n",
                        List.of("a{} NaN", "b{} Infinity", "c{} -Infinity", "d{} Infinity", "e{} 1000.0", "f{} -0.5", "g{} 0.5", "h{} 5.0")),
                Arguments.of("long and precise values", "a 0.1234567890123456789\nb 123456789012345678901234\nc 1.7976931348623157e308\n",
                        List.of("a{} 0.12345678901234568", "b{} 1.2345678901234569E23", "c{} 1.7976931348623157E308")),
                Arguments.of("negative timestamp", "a 1 -5\n", List.of("a{} 1.0 @-5")),
                Arguments.of("colons in names", "job:rate:sum{l=\"v\"} 1\n", List.of("job:rate:sum{l=v} 1.0")),
                Arguments.of("empty braces", "a{} 1\n", List.of("a{} 1.0")),
                Arguments.of("quoted utf-8 metric name", "{\"my.metric\",\"lé.x\"=\"ü\"} 1\n", List.of("my.metric{lé.x=ü} 1.0")),
                Arguments.of("empty label value kept by parser", "a{b=\"\"} 1\n", List.of("a{b=} 1.0")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String name, String body, List<String> expected) throws Exception {
        assertThat(ParserTestSupport.render(ExpositionFormat.PROMETHEUS_TEXT, body)).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("missing value", "up 1\nfoo\n", "line 2: expected value after metric, got \"\\n\""),
                Arguments.of("missing value at end", "foo", "line 1: expected value after metric, got \"EOF\""),
                Arguments.of("bad value", "foo bar\n", "line 1: expected valid float value after metric, got \"bar\""),
                Arguments.of("bad timestamp", "foo 1 1.5\n", "line 1: expected timestamp or new record, got \"1.5\""),
                Arguments.of("junk after timestamp", "foo 1 15 x\n", "line 1: expected next entry after timestamp, got \"x\""),
                Arguments.of("bad type", "# TYPE foo bar\n", "line 1: invalid metric type \"bar\""),
                Arguments.of("label without equal", "foo{a\"b\"} 1\n", "line 1: expected equal, got \"\\\"b\\\"}\""),
                Arguments.of("unterminated value", "foo{a=\"b} 1\n", "line 1: expected closing quote of label value, got \"\\n\""),
                Arguments.of("missing comma", "foo{a=\"b\" c=\"d\"} 1\n", "line 1: expected comma or closing brace, got \"c=\\\"d\\\"}\""),
                Arguments.of("bad metric name", "1foo 1\n", "line 1: expected metric name, got \"1foo\""),
                Arguments.of("bad label name", "foo{1a=\"b\"} 1\n", "line 1: expected label name, got \"1a=\\\"b\\\"}\""),
                Arguments.of("duplicate label", "foo{a=\"b\",a=\"c\"} 1\n", "line 1: duplicate label name \"a\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejects(String name, String body, String message) {
        assertThatThrownBy(() -> ParserTestSupport.render(ExpositionFormat.PROMETHEUS_TEXT, body))
                .isInstanceOf(ExpositionFormatException.class)
                .hasMessage(message);
    }

    @org.junit.jupiter.api.Test
    void rejectsInvalidUtf8() {
        byte[] body = {'f', '{', 'a', '=', '"', (byte) 0xff, '"', '}', ' ', '1', '\n'};
        PrometheusTextParser parser = new PrometheusTextParser(body, body.length, new StringTable());
        assertThatThrownBy(parser::next).isInstanceOf(ExpositionFormatException.class)
                .hasMessageStartingWith("line 1: invalid UTF-8 in");
    }

    @org.junit.jupiter.api.Test
    void repeatedStringsAreTheSameInstanceAcrossBodies() throws Exception {
        StringTable strings = new StringTable();
        byte[] body = "node_cpu_seconds_total{cpu=\"0\",mode=\"idle\"} 1\n".getBytes();
        PrometheusTextParser first = new PrometheusTextParser(body, body.length, strings);
        first.next();
        String value = first.labelValue(1);
        PrometheusTextParser second = new PrometheusTextParser(body.clone(), body.length, strings);
        second.next();
        assertThat(second.labelValue(1)).isSameAs(value);
        assertThat(second.metricName()).isSameAs(first.metricName());
    }
}

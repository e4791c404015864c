package io.kprom.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.promql.ast.Expr;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PromqlPrinterTest {
    static Stream<Arguments> compactForms() {
        return Stream.of(
                Arguments.of("sum(foo) by (a)", "sum by (a) (foo)"),
                Arguments.of("sum(foo) without (a,b)", "sum without (a, b) (foo)"),
                Arguments.of("sum by () (foo)", "sum(foo)"),
                Arguments.of("sum without () (foo)", "sum without () (foo)"),
                Arguments.of("foo{b=\"2\",a=\"1\"}", "foo{a=\"1\",b=\"2\"}"),
                Arguments.of("foo{}", "foo"),
                Arguments.of("{__name__=\"foo\"}", "{__name__=\"foo\"}"),
                Arguments.of("{\"my.metric\"}", "{__name__=\"my.metric\"}"),
                Arguments.of("{\"a.b\"=\"c\", x=~'y'}", "{\"a.b\"=\"c\",x=~\"y\"}"),
                Arguments.of("foo{a=\"line\\nbreak\\t\\\"q\\\"\"}", "foo{a=\"line\\nbreak\\t\\\"q\\\"\"}"),
                Arguments.of("foo[90m]", "foo[1h30m]"),
                Arguments.of("foo[7d]", "foo[1w]"),
                Arguments.of("foo[8d]", "foo[8d]"),
                Arguments.of("foo[365d]", "foo[1y]"),
                Arguments.of("foo[1500ms]", "foo[1s500ms]"),
                Arguments.of("foo[1.5]", "foo[1s500ms]"),
                Arguments.of("foo offset -90s", "foo offset -1m30s"),
                Arguments.of("foo @ 1.5", "foo @ 1.500"),
                Arguments.of("foo @ -100", "foo @ -100.000"),
                Arguments.of("foo offset 1m @ start()", "foo @ start() offset 1m"),
                Arguments.of("rate(foo[5m] offset 1m @ 100)", "rate(foo[5m] @ 100.000 offset 1m)"),
                Arguments.of("foo[300:60]", "foo[5m:1m]"),
                Arguments.of("foo[5m:]", "foo[5m:]"),
                Arguments.of("foo[5m:1m] offset 1m @ end()", "foo[5m:1m] @ end() offset 1m"),
                Arguments.of("a+on(x)group_left(y)b", "a + on (x) group_left (y) b"),
                Arguments.of("a * on(x) group_left b", "a * on (x) group_left () b"),
                Arguments.of("a * ignoring() group_right(b) c", "a * ignoring () group_right (b) c"),
                Arguments.of("a + ignoring() b", "a + b"),
                Arguments.of("a + on() b", "a + on () b"),
                Arguments.of("a and on(x) b", "a and on (x) b"),
                Arguments.of("a>bool b", "a > bool b"),
                Arguments.of("1 < bool 2", "1 < bool 2"),
                Arguments.of("sum by (\"a.b\", \"c\", \"without\") (x)", "sum by (\"a.b\", c, \"without\") (x)"),
                Arguments.of("'it\\'s'", "\"it's\""),
                Arguments.of("`raw\\n`", "\"raw\\\\n\""),
                Arguments.of("1e3", "1000"),
                Arguments.of("0x10", "16"),
                Arguments.of("1e21", "1000000000000000000000"),
                Arguments.of("1e-7", "0.0000001"),
                Arguments.of("0.1", "0.1"),
                Arguments.of("Inf", "+Inf"),
                Arguments.of("-Inf", "-Inf"),
                Arguments.of("NaN", "NaN"),
                Arguments.of("-0", "-0"),
                Arguments.of("5m", "300"),
                Arguments.of("topk(5, x)", "topk(5, x)"),
                Arguments.of("count_values(\"v\", x)", "count_values(\"v\", x)"),
                Arguments.of("- a", "-a"),
                Arguments.of("-(a)", "-(a)"),
                Arguments.of("+a", "+a"),
                Arguments.of("((a))", "((a))"),
                Arguments.of("label_join(x,\"d\",\",\",\"a\",\"b\")", "label_join(x, \"d\", \",\", \"a\", \"b\")"),
                Arguments.of("time()", "time()"),
                Arguments.of("2^3^2", "2 ^ 3 ^ 2"),
                Arguments.of("(2^3)^2", "(2 ^ 3) ^ 2"),
                Arguments.of("foo # comment", "foo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("compactForms")
    void printsCompactForm(String query, String expected) {
        Expr expr = PromqlParser.parse(query);
        assertThat(PromqlPrinter.toString(expr)).isEqualTo(expected);
        assertThat(PromqlPrinter.toString(PromqlParser.parse(expected))).isEqualTo(expected);
    }

    @Test
    void formatKeepsShortQueriesOnOneLine() {
        String query = "sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m]))";
        assertThat(PromqlPrinter.format(PromqlParser.parse(query))).isEqualTo(query);
    }

    @Test
    void formatSplitsLongBinaryExpressions() {
        String lhs = "a_very_long_metric_name_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa{label=\"value\"}";
        String rhs = "another_very_long_metric_name_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb{label=\"value\"}";
        Expr expr = PromqlParser.parse(lhs + " + on (label) " + rhs);
        assertThat(PromqlPrinter.format(expr)).isEqualTo("  " + lhs + "\n+ on (label)\n  " + rhs);
    }

    @Test
    void formatSplitsLongAggregationsAndCalls() {
        String selector = "http_requests_total{job=\"api-server-with-a-rather-long-name\",instance=~\"node-[0-9]+.example.org\"}";
        Expr expr = PromqlParser.parse("topk by (job) (5, sum by (job, instance) (rate(" + selector + "[5m])))");
        assertThat(PromqlPrinter.format(expr)).isEqualTo("""
                topk by (job) (
                  5,
                  sum by (job, instance) (
                    rate(
                      http_requests_total{instance=~"node-[0-9]+.example.org",job="api-server-with-a-rather-long-name"}[5m]
                    )
                  )
                )""");
    }

    @Test
    void formatSplitsLongParenthesesAndFunctionArguments() {
        String selector = "some_extremely_long_metric_name_used_for_testing_the_formatter_xxxxxxxxxxxxxxxxxxxxxx";
        Expr expr = PromqlParser.parse("-(label_replace(" + selector + ", \"dst\", \"$1\", \"src\", \"(.*)\"))");
        assertThat(PromqlPrinter.format(expr)).isEqualTo("""
                -(
                  label_replace(
                    some_extremely_long_metric_name_used_for_testing_the_formatter_xxxxxxxxxxxxxxxxxxxxxx,
                    "dst",
                    "$1",
                    "src",
                    "(.*)"
                  )
                )""");
    }

    @Test
    void formatOfNestedBinaryIndentsEachLevel() {
        String a = "first_metric_with_a_long_name_aaaaaaaaaaaaaaaaaaaaaa";
        String b = "second_metric_with_a_long_name_bbbbbbbbbbbbbbbbbbbbbb";
        String c = "third_metric_with_a_long_name_cccccccccccccccccccccc";
        Expr expr = PromqlParser.parse(a + " / " + b + " > bool " + c);
        assertThat(PromqlPrinter.format(expr)).isEqualTo(
                "    " + a + "\n  /\n    " + b + "\n> bool\n  " + c);
    }

    @Test
    void formatSplitsSubqueryBody() {
        String selector = "a_metric_name_that_is_long_enough_to_push_the_subquery_over_the_limit{job=\"xxxxxxxxxxxxxxxx\"}";
        Expr expr = PromqlParser.parse("max_over_time(rate(" + selector + "[5m])[1h:1m])");
        assertThat(PromqlPrinter.format(expr)).isEqualTo("max_over_time(\n  rate(\n    " + selector
                + "[5m]\n  )[1h:1m]\n)");
    }

    @Test
    void formatDoesNotIndentAnUnsplitSubqueryLikePrometheus() {
        String selector = "a_metric_name_that_is_long_enough_to_need_a_split_xxxxxxxxxxxxxxxxxxxxxxxx";
        Expr expr = PromqlParser.parse("quantile_over_time(0.99, rate(" + selector + "[5m])[1h:1m])");
        assertThat(PromqlPrinter.format(expr)).isEqualTo(
                "quantile_over_time(\n  0.99,\nrate(" + selector + "[5m])[1h:1m]\n)");
    }

    @Test
    void randomTreesSurvivePrintingAndParsing() {
        RandomExprGenerator generator = new RandomExprGenerator(20261129L);
        for (int i = 0; i < 3000; i++) {
            Expr expr = generator.any(1 + i % 5);
            String compact = PromqlPrinter.toString(expr);
            String formatted = PromqlPrinter.format(expr);
            assertThat(PromqlParser.parse(compact)).as("compact form %s", compact).isEqualTo(expr);
            assertThat(PromqlParser.parse(formatted)).as("formatted form %s", formatted).isEqualTo(expr);
            assertThat(PromqlPrinter.toString(PromqlParser.parse(formatted))).isEqualTo(compact);
        }
    }
}

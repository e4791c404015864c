package io.kprom.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.AggregateOp;
import io.kprom.promql.ast.AtModifier;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.BinaryOp;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.Functions;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.NumberLiteral;
import io.kprom.promql.ast.PositionRange;
import io.kprom.promql.ast.StringLiteral;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.VectorMatching;
import io.kprom.promql.ast.VectorSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromqlParserTest {
    private static VectorSelector selector(String name, LabelMatcher... matchers) {
        List<LabelMatcher> all = new java.util.ArrayList<>(List.of(matchers));
        all.add(LabelMatcher.equal("__name__", name));
        return new VectorSelector(name, all);
    }

    @Test
    void buildsTheFullTree() {
        Expr expr = PromqlParser.parse("sum by (job) (rate(http_requests_total{code=~\"5..\"}[5m] offset 1m))"
                + " / on(job) group_left(team) max_over_time(up[1h:5m] @ end())");
        VectorSelector requests = selector("http_requests_total", LabelMatcher.of(LabelMatcher.Type.REGEX, "code", "5.."))
                .withOffsetMillis(60_000);
        Expr lhs = new AggregateExpr(AggregateOp.SUM,
                new Call(Functions.get("rate"), List.of(new MatrixSelector(requests, 300_000))), null, List.of("job"),
                false);
        Expr rhs = new Call(Functions.get("max_over_time"),
                List.of(new SubqueryExpr(selector("up"), 3_600_000, 300_000, 0, AtModifier.END, PositionRange.NONE)));
        VectorMatching matching = new VectorMatching(VectorMatching.Cardinality.MANY_TO_ONE, List.of("job"), true,
                List.of("team"));
        assertThat(expr).isEqualTo(new BinaryExpr(BinaryOp.DIV, lhs, rhs, matching, false));
    }

    @Test
    void recordsPositions() {
        BinaryExpr expr = (BinaryExpr) PromqlParser.parse("sum(foo) + rate(bar[5m] offset 1m)");
        assertThat(expr.position()).isEqualTo(new PositionRange(0, 34));
        assertThat(expr.lhs().position()).isEqualTo(new PositionRange(0, 8));
        Call rate = (Call) expr.rhs();
        assertThat(rate.position()).isEqualTo(new PositionRange(11, 34));
        assertThat(rate.args().get(0).position()).isEqualTo(new PositionRange(16, 33));
        assertThat(((MatrixSelector) rate.args().get(0)).vectorSelector().position()).isEqualTo(new PositionRange(16, 19));
        assertThat(PromqlParser.parse("-5").position()).isEqualTo(new PositionRange(0, 2));
        assertThat(PromqlParser.parse("\"abc\"")).isEqualTo(new StringLiteral("abc"));
    }

    @Test
    void foldsSignsIntoNumberLiterals() {
        assertThat(PromqlParser.parse("-1")).isEqualTo(new NumberLiteral(-1));
        assertThat(PromqlParser.parse("+-+1")).isEqualTo(new NumberLiteral(-1));
        assertThat(PromqlParser.parse("-0")).isEqualTo(new NumberLiteral(-0.0));
    }

    @Test
    void reportsLineAndByteColumnOfMultiLineQueries() {
        assertThatThrownBy(() -> PromqlParser.parse("sum(\n  foo\n) +\n  bar baz"))
                .isInstanceOf(ParseException.class)
                .hasMessage("4:7: parse error: unexpected identifier \"baz\"")
                .satisfies(e -> {
                    ParseException pe = (ParseException) e;
                    assertThat(pe.line()).isEqualTo(4);
                    assertThat(pe.column()).isEqualTo(7);
                    assertThat(pe.detail()).isEqualTo("unexpected identifier \"baz\"");
                    assertThat(pe.position().start()).isEqualTo(21);
                });
        // Prometheus counts columns in bytes: "ü" is two, so "bar" (character 11) is at byte column 12.
        assertThatThrownBy(() -> PromqlParser.parse("{\"ü\"=\"x\"} bar"))
                .hasMessage("1:12: parse error: unexpected identifier \"bar\"");
    }

    @Test
    void skipsComments() {
        assertThat(PromqlParser.parse("foo # first\n + # second\n bar # third"))
                .isEqualTo(PromqlParser.parse("foo + bar"));
        assertThat(PromqlParser.parse("foo{# inside braces\na=\"b\"}"))
                .isEqualTo(PromqlParser.parse("foo{a=\"b\"}"));
    }

    @Test
    void acceptsKeywordsInAnyCase() {
        assertThat(PromqlParser.parse("SUM BY (job) (foo) AND ON (job) bar OFFSET 5m"))
                .isEqualTo(PromqlParser.parse("sum by (job) (foo) and on (job) bar offset 5m"));
    }

    @Test
    void rejectsExperimentalFunctionsWhenDisabled() {
        assertThatThrownBy(() -> PromqlParser.parse("sort_by_label(foo, \"a\")", false))
                .hasMessage("1:1: parse error: function \"sort_by_label\" is not enabled");
        assertThatThrownBy(() -> PromqlParser.parse("limitk(1, foo)", false))
                .hasMessage("1:1: parse error: limitk() is experimental and must be enabled with "
                        + "--enable-feature=promql-experimental-functions");
        assertThat(PromqlParser.parse("sort(foo)", false)).isEqualTo(PromqlParser.parse("sort(foo)"));
    }

    @Test
    void parsesMetricSelectors() {
        assertThat(PromqlParser.parseMetricSelector("up{job=\"node\", instance!~\"a.*\"}")).containsExactly(
                LabelMatcher.equal("job", "node"), LabelMatcher.of(LabelMatcher.Type.NOT_REGEX, "instance", "a.*"),
                LabelMatcher.equal("__name__", "up"));
        assertThat(PromqlParser.parseMetricSelector("{__name__=~\"a.*\"}"))
                .containsExactly(LabelMatcher.of(LabelMatcher.Type.REGEX, "__name__", "a.*"));
        assertThat(PromqlParser.parseMetricSelector("{\"my.metric\"}"))
                .containsExactly(LabelMatcher.equal("__name__", "my.metric"));
        assertThat(PromqlParser.parseMetricSelector("sum")).containsExactly(LabelMatcher.equal("__name__", "sum"));
        assertThat(PromqlParser.parseMetricSelector("{}")).isEmpty();
        assertThatThrownBy(() -> PromqlParser.parseMetricSelector("up + 1"))
                .hasMessage("1:4: parse error: unexpected <op:+>");
        assertThatThrownBy(() -> PromqlParser.parseMetricSelector("rate(up[5m])"))
                .hasMessage("1:5: parse error: unexpected \"(\"");
        assertThatThrownBy(() -> PromqlParser.parseMetricSelector("up{a=~\"(\"}"))
                .hasMessage("1:4: parse error: error parsing regexp: missing closing ): `(`");
        assertThatThrownBy(() -> PromqlParser.parseMetricSelector(""))
                .hasMessage("1:1: parse error: unexpected end of input");
    }

    @Test
    void parsesDurations() {
        assertThat(PromqlParser.parseDuration("5m")).isEqualTo(300_000);
        assertThat(PromqlParser.parseDuration("1h30m")).isEqualTo(5_400_000);
        assertThat(PromqlParser.parseDuration("1y")).isEqualTo(365L * 24 * 3_600_000);
        assertThat(PromqlParser.parseDuration("250ms")).isEqualTo(250);
        assertThat(PromqlParser.parseDuration("30")).isEqualTo(30_000);
        assertThat(PromqlParser.parseDuration("1.5")).isEqualTo(1_500);
        assertThat(PromqlParser.parseDuration("0")).isZero();
        assertThatThrownBy(() -> PromqlParser.parseDuration("5x"))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("cannot parse \"5x\" to a valid duration");
        assertThatThrownBy(() -> PromqlParser.parseDuration("5m1h"))
                .hasMessageContaining("cannot parse \"5m1h\" to a valid duration");
    }

    @Test
    void formatsDurations() {
        assertThat(PromqlParser.formatDuration(0)).isEqualTo("0s");
        assertThat(PromqlParser.formatDuration(5_400_000)).isEqualTo("1h30m");
        assertThat(PromqlParser.formatDuration(90L * 24 * 3_600_000)).isEqualTo("90d");
        assertThat(PromqlParser.formatDuration(14L * 24 * 3_600_000)).isEqualTo("2w");
        assertThat(PromqlParser.formatDuration(-1_500)).isEqualTo("-1s500ms");
    }

    @Test
    void reportsTheFirstErrorFound() {
        // The unknown function is found before the later syntax error, as in Prometheus.
        assertThatThrownBy(() -> PromqlParser.parse("nope(foo) + (bar"))
                .hasMessage("1:1: parse error: unknown function with name \"nope\"");
        // Type errors are only reported for syntactically valid queries.
        assertThatThrownBy(() -> PromqlParser.parse("rate(foo) +"))
                .hasMessage("1:12: parse error: unexpected end of input");
    }

    @Test
    void bypassesTheEmptyMatcherCheckForInfoSelectors() {
        Expr expr = PromqlParser.parse("info(up, {k8s_cluster_name=~\".*\"})");
        assertThat(((Call) expr).args()).hasSize(2);
    }

    @Test
    void durationsActAsNumbers() {
        assertThat(PromqlParser.parse("time() - 5m")).isEqualTo(PromqlParser.parse("time() - 300"));
        assertThat(PromqlParser.parse("foo[90]")).isEqualTo(PromqlParser.parse("foo[1m30s]"));
        assertThat(PromqlParser.parse("foo offset 1.5")).isEqualTo(PromqlParser.parse("foo offset 1s500ms"));
    }

    @Test
    void limitsNestingDepth() {
        String deep = "(".repeat(200) + "1" + ")".repeat(200);
        assertThat(PromqlParser.parse(deep)).isNotNull();
        String tooDeep = "(".repeat(2000) + "1" + ")".repeat(2000);
        assertThatThrownBy(() -> PromqlParser.parse(tooDeep))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("expression nested too deeply (more than 256 levels)");
        String manyUnary = "-".repeat(5000) + "1";
        assertThatThrownBy(() -> PromqlParser.parse(manyUnary)).isInstanceOf(ParseException.class);
    }
}

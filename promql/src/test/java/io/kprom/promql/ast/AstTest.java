package io.kprom.promql.ast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.LabelMatcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class AstTest {
    private static final VectorSelector FOO = new VectorSelector("foo", List.of(LabelMatcher.equal("__name__", "foo")));

    @Test
    void equalityIgnoresPositions() {
        Expr a = new BinaryExpr(BinaryOp.ADD, new NumberLiteral(1, new PositionRange(0, 1)),
                FOO.withPosition(new PositionRange(4, 7)), null, false, new PositionRange(0, 7));
        Expr b = new BinaryExpr(BinaryOp.ADD, new NumberLiteral(1), FOO, null, false);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }

    @Test
    void numberEqualityIsBitwise() {
        assertThat(new NumberLiteral(Double.NaN)).isEqualTo(new NumberLiteral(Double.NaN));
        assertThat(new NumberLiteral(0.0)).isNotEqualTo(new NumberLiteral(-0.0));
    }

    @Test
    void typesFollowPrometheus() {
        assertThat(new MatrixSelector(FOO, 60_000).type()).isEqualTo(ValueType.MATRIX);
        assertThat(new SubqueryExpr(FOO, 60_000, 0).type()).isEqualTo(ValueType.MATRIX);
        assertThat(new BinaryExpr(BinaryOp.ADD, new NumberLiteral(1), new NumberLiteral(2), null, false).type())
                .isEqualTo(ValueType.SCALAR);
        assertThat(new BinaryExpr(BinaryOp.ADD, FOO, new NumberLiteral(2), null, false).type())
                .isEqualTo(ValueType.VECTOR);
        assertThat(new Call(Functions.get("time"), List.of()).type()).isEqualTo(ValueType.SCALAR);
        assertThat(new UnaryExpr(UnaryOp.MINUS, new StringLiteral("x")).type()).isEqualTo(ValueType.STRING);
        assertThat(new ParenExpr(FOO).type()).isEqualTo(ValueType.VECTOR);
        assertThat(new AggregateExpr(AggregateOp.SUM, FOO, null, List.of(), false).type())
                .isEqualTo(ValueType.VECTOR);
    }

    @Test
    void binaryOperatorsHavePrometheusPrecedence() {
        assertThat(BinaryOp.OR.precedence()).isLessThan(BinaryOp.AND.precedence());
        assertThat(BinaryOp.AND.precedence()).isEqualTo(BinaryOp.UNLESS.precedence());
        assertThat(BinaryOp.UNLESS.precedence()).isLessThan(BinaryOp.EQL.precedence());
        assertThat(BinaryOp.GTE.precedence()).isLessThan(BinaryOp.ADD.precedence());
        assertThat(BinaryOp.SUB.precedence()).isLessThan(BinaryOp.ATAN2.precedence());
        assertThat(BinaryOp.MOD.precedence()).isLessThan(BinaryOp.POW.precedence());
        assertThat(BinaryOp.POW.isRightAssociative()).isTrue();
        assertThat(BinaryOp.SUB.isRightAssociative()).isFalse();
        assertThat(BinaryOp.LTE.isComparison()).isTrue();
        assertThat(BinaryOp.ATAN2.isComparison()).isFalse();
        assertThat(BinaryOp.UNLESS.isSetOperator()).isTrue();
        assertThat(BinaryOp.fromSymbol("atan2")).isEqualTo(BinaryOp.ATAN2);
        assertThat(BinaryOp.fromSymbol("<>")).isNull();
    }

    @Test
    void aggregationOperatorsKnowTheirParameters() {
        assertThat(AggregateOp.COUNT_VALUES.paramType()).isEqualTo(ValueType.STRING);
        assertThat(AggregateOp.TOPK.hasParam()).isTrue();
        assertThat(AggregateOp.LIMIT_RATIO.experimental()).isTrue();
        assertThat(AggregateOp.SUM.hasParam()).isFalse();
        assertThat(AggregateOp.fromKeyword("Count_Values")).isEqualTo(AggregateOp.COUNT_VALUES);
    }

    @Test
    void atModifierResolvesAgainstTheQueryRange() {
        assertThat(AtModifier.at(5).resolve(10, 20)).isEqualTo(5);
        assertThat(AtModifier.START.resolve(10, 20)).isEqualTo(10);
        assertThat(AtModifier.END.resolve(10, 20)).isEqualTo(20);
        assertThatThrownBy(() -> new AtModifier(AtModifier.Kind.START, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsAreCopiedDefensively() {
        List<String> grouping = new java.util.ArrayList<>(List.of("a"));
        AggregateExpr aggregate = new AggregateExpr(AggregateOp.SUM, FOO, null, grouping, false);
        grouping.add("b");
        assertThat(aggregate.grouping()).containsExactly("a");
    }
}

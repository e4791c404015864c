package io.kprom.bench.promql;

import io.kprom.promql.ast.AggregateExpr;
import io.kprom.promql.ast.BinaryExpr;
import io.kprom.promql.ast.Call;
import io.kprom.promql.ast.Expr;
import io.kprom.promql.ast.ExprVisitor;
import io.kprom.promql.ast.MatrixSelector;
import io.kprom.promql.ast.NumberLiteral;
import io.kprom.promql.ast.ParenExpr;
import io.kprom.promql.ast.StringLiteral;
import io.kprom.promql.ast.SubqueryExpr;
import io.kprom.promql.ast.UnaryExpr;
import io.kprom.promql.ast.VectorSelector;
import io.kprom.promql.parser.PromqlParser;
import io.kprom.promql.parser.PromqlPrinter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse time of a realistic ~30-node PromQL query (an SLO-style alert expression), plus printing it.
 *
 * <pre>bench/run-jmh.sh 'promql.ParseBenchmark' -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ParseBenchmark {
    /** 31 AST nodes (see {@link #countNodes}), 387 characters. */
    static final String QUERY = "sum by (job, instance) (rate(http_requests_total{job=\"api\", code=~\"5..\"}[5m] offset 1m))"
            + " / on (job, instance) group_left (team) sum by (job, instance) (rate(http_requests_total{job=\"api\"}[5m]))"
            + " > bool 0.05 * scalar(max(up{job=\"api\"}))"
            + " and topk(5, histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))))"
            + " unless absent_over_time(up{job=\"api\"}[10m:1m]) or vector(1)";

    private Expr parsed;

    @Setup
    public void setUp() {
        parsed = PromqlParser.parse(QUERY);
        int nodes = countNodes(parsed);
        if (nodes < 28 || nodes > 34) {
            throw new IllegalStateException("benchmark query should have about 30 nodes, has " + nodes);
        }
    }

    @Benchmark
    public Expr parse() {
        return PromqlParser.parse(QUERY);
    }

    @Benchmark
    public String print() {
        return PromqlPrinter.toString(parsed);
    }

    @Benchmark
    public String format() {
        return PromqlPrinter.format(parsed);
    }

    static int countNodes(Expr expr) {
        return expr.accept(new ExprVisitor<Integer>() {
            @Override
            public Integer visitNumberLiteral(NumberLiteral node) {
                return 1;
            }

            @Override
            public Integer visitStringLiteral(StringLiteral node) {
                return 1;
            }

            @Override
            public Integer visitVectorSelector(VectorSelector node) {
                return 1;
            }

            @Override
            public Integer visitMatrixSelector(MatrixSelector node) {
                return 1 + node.vectorSelector().accept(this);
            }

            @Override
            public Integer visitSubquery(SubqueryExpr node) {
                return 1 + node.expr().accept(this);
            }

            @Override
            public Integer visitCall(Call node) {
                return 1 + node.args().stream().mapToInt(a -> a.accept(this)).sum();
            }

            @Override
            public Integer visitAggregate(AggregateExpr node) {
                return 1 + node.expr().accept(this) + (node.param() == null ? 0 : node.param().accept(this));
            }

            @Override
            public Integer visitBinary(BinaryExpr node) {
                return 1 + node.lhs().accept(this) + node.rhs().accept(this);
            }

            @Override
            public Integer visitUnary(UnaryExpr node) {
                return 1 + node.expr().accept(this);
            }

            @Override
            public Integer visitParen(ParenExpr node) {
                return 1 + node.expr().accept(this);
            }
        });
    }
}

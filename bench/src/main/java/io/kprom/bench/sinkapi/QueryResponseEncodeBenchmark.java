package io.kprom.bench.sinkapi;

import io.kprom.common.labels.Labels;
import io.kprom.promql.engine.Value;
import io.kprom.sink.api.ApiJson;
import io.kprom.sink.api.ApiResult;
import io.kprom.sink.api.PromNumbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Cost of writing a query_range answer as Prometheus JSON: 1 000 series x 240 points (a 1h Grafana
 * panel at 15s step) with realistic float values, and the Go-style float formatting alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class QueryResponseEncodeBenchmark {
    private ApiResult matrix;
    private double[] values;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        List<Value.SeriesValue> series = new ArrayList<>();
        for (int s = 0; s < 1000; s++) {
            long[] timestamps = new long[240];
            double[] points = new double[240];
            for (int i = 0; i < 240; i++) {
                timestamps[i] = 1_700_000_000_000L + i * 15_000L;
                points[i] = random.nextDouble() * 1000;
            }
            series.add(new Value.SeriesValue(Labels.of("__name__", "http_requests_total", "job", "api",
                    "instance", "host-" + s + ":9100", "code", "200"), timestamps, points));
        }
        Value.MatrixValue value = new Value.MatrixValue(series);
        matrix = ApiResult.of(json -> ApiJson.writeQueryData(json, value));
        values = new double[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() * Math.pow(10, random.nextInt(12) - 4);
        }
    }

    /** One 240 000-point matrix response, ms per response. */
    @Benchmark
    public byte[] encodeMatrix() {
        return ApiJson.success(matrix);
    }

    /** 4 096 random doubles formatted as Go's strconv 'f' -1, ms per 4 096. */
    @Benchmark
    public int formatValues() {
        int length = 0;
        for (double value : values) {
            length += PromNumbers.formatValue(value).length();
        }
        return length;
    }
}

package io.kprom.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deeply nested and very long queries end in a bad-data {@link QueryException} (an HTTP 400 in the API),
 * never in a {@link StackOverflowError} on the caller's thread; long but shallow ones still answer.
 */
class HostileQueryTest {
    private static final int ONE_MEBIBYTE = 1 << 20;
    private final PromqlEngine engine = new PromqlEngine();

    static Stream<Arguments> tooDeep() {
        return Stream.of(
                Arguments.of("10 000 nested parentheses", "(".repeat(10_000) + "1" + ")".repeat(10_000)),
                Arguments.of("10 000 nested calls", "abs(".repeat(10_000) + "up" + ")".repeat(10_000)),
                Arguments.of("10 000 unary minus", "-".repeat(10_000) + "up"),
                Arguments.of("1 MiB chain of additions", "up + ".repeat(ONE_MEBIBYTE / 5) + "up"),
                Arguments.of("1 MiB chain of or", "up or ".repeat(ONE_MEBIBYTE / 6) + "up"),
                Arguments.of("1 MiB chain of powers (right-associative)", "up ^ ".repeat(ONE_MEBIBYTE / 5) + "up"),
                Arguments.of("10 000 nested subqueries", "max_over_time(".repeat(10_000) + "up" + "[1m:])".repeat(10_000)),
                Arguments.of("10 000 chained offsets in parentheses", "(".repeat(10_000) + "up" + " offset 1m)".repeat(10_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tooDeep")
    void tooDeepIsAParseError(String name, String query) {
        InMemoryQuerier storage = storage();
        assertThatThrownBy(() -> engine.instantQuery((min, max) -> storage, query, 60_000, QueryOptions.defaults()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("parse error: expression nested too deeply (more than 256 levels)")
                .satisfies(e -> assertThat(((QueryException) e).type()).isEqualTo(QueryException.ErrorType.BAD_DATA));
    }

    static Stream<Arguments> longButShallow() {
        return Stream.of(
                Arguments.of("chain of 200 additions", "up + ".repeat(200) + "up", 201.0),
                Arguments.of("200 nested parentheses", "(".repeat(200) + "up" + ")".repeat(200), 1.0),
                Arguments.of("1 MiB label value", "count(up{job!=\"" + "a".repeat(ONE_MEBIBYTE) + "\"})", 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("longButShallow")
    void longButShallowAnswers(String name, String query, double expected) {
        InMemoryQuerier storage = storage();
        Value value = engine.instantQuery((min, max) -> storage, query, 60_000, QueryOptions.defaults()).value();
        assertThat(((Value.VectorValue) value).samples().get(0).value()).isEqualTo(expected);
    }

    private static InMemoryQuerier storage() {
        InMemoryQuerier storage = new InMemoryQuerier();
        storage.append(Labels.of("__name__", "up", "job", "a"), 30_000, 1);
        return storage;
    }
}

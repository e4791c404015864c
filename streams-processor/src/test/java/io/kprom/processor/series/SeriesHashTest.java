package io.kprom.processor.series;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SeriesHashTest {
    static Stream<Arguments> lists() {
        return Stream.of(
                Arguments.of("canonical", List.of("__name__", "up", "instance", "a:1", "job", "node")),
                Arguments.of("empty", List.of()),
                Arguments.of("non-latin values", List.of("__name__", "x", "city", "Zürich ✓ 𝄞")),
                Arguments.of("unsorted names", List.of("job", "node", "__name__", "up")),
                Arguments.of("duplicate name", List.of("a", "1", "a", "2")),
                Arguments.of("empty value dropped", List.of("__name__", "up", "env", "", "job", "node")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lists")
    void equalsTheStableHashOfTheLabels(String name, List<String> list) {
        assertThat(SeriesHash.of(list)).isEqualTo(Labels.fromList(list).stableHash());
    }
}

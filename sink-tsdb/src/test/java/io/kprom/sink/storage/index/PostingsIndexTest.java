package io.kprom.sink.storage.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.LabelMatcher.Type;
import io.kprom.common.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.roaringbitmap.RoaringBitmap;

class PostingsIndexTest {
    private static final List<Labels> SERIES = List.of(
            Labels.of("__name__", "up", "job", "node", "instance", "a"),
            Labels.of("__name__", "up", "job", "node", "instance", "b"),
            Labels.of("__name__", "up", "job", "api", "instance", "c"),
            Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"),
            Labels.of("__name__", "http_requests_total", "job", "api", "code", "500"),
            Labels.of("__name__", "http_requests_total", "job", "api"));

    static Stream<Arguments> selections() {
        return Stream.of(
                Arguments.of("equal", List.of(m(Type.EQUAL, "__name__", "up")), List.of(0, 1, 2)),
                Arguments.of("two equals intersect", List.of(m(Type.EQUAL, "__name__", "up"), m(Type.EQUAL, "job", "node")), List.of(0, 1)),
                Arguments.of("not equal keeps series without the label", List.of(m(Type.EQUAL, "job", "api"), m(Type.NOT_EQUAL, "code", "500")), List.of(2, 3, 5)),
                Arguments.of("regex alternation", List.of(m(Type.REGEX, "instance", "a|c")), List.of(0, 2)),
                Arguments.of("regex is anchored", List.of(m(Type.REGEX, "__name__", "u")), List.of()),
                Arguments.of("negative regex", List.of(m(Type.EQUAL, "__name__", "http_requests_total"), m(Type.NOT_REGEX, "code", "5..")), List.of(3, 5)),
                Arguments.of("label equal empty selects series without it", List.of(m(Type.EQUAL, "job", "api"), m(Type.EQUAL, "code", "")), List.of(2, 5)),
                Arguments.of("regex matching empty selects series without it", List.of(m(Type.EQUAL, "job", "api"), m(Type.REGEX, "code", "2..|")), List.of(2, 3, 5)),
                Arguments.of("dot-star matches everything", List.of(m(Type.REGEX, "job", ".*")), List.of(0, 1, 2, 3, 4, 5)),
                Arguments.of("dot-plus requires the label", List.of(m(Type.REGEX, "code", ".+")), List.of(3, 4)),
                Arguments.of("unknown label value", List.of(m(Type.EQUAL, "job", "nope")), List.of()),
                Arguments.of("unknown label name with not-equal", List.of(m(Type.EQUAL, "__name__", "up"), m(Type.NOT_EQUAL, "zone", "x")), List.of(0, 1, 2)),
                Arguments.of("no matchers select all", List.of(), List.of(0, 1, 2, 3, 4, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void selectsLikePrometheusAndLikeMatchingEverySeries(String name, List<LabelMatcher> matchers, List<Integer> expected) {
        PostingsIndex index = index();
        assertThat(ids(index.select(matchers))).containsExactlyElementsOf(expected);
        // Cross-check against brute force over every series.
        List<Integer> brute = new ArrayList<>();
        for (int i = 0; i < SERIES.size(); i++) {
            Labels labels = SERIES.get(i);
            if (matchers.stream().allMatch(m -> m.matches(labels))) {
                brute.add(i);
            }
        }
        assertThat(brute).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void removedSeriesAreNotSelected(String name, List<LabelMatcher> matchers, List<Integer> expected) {
        PostingsIndex index = index();
        index.remove(0, SERIES.get(0));
        List<Integer> remaining = new ArrayList<>(expected);
        remaining.remove(Integer.valueOf(0));
        assertThat(ids(index.select(matchers))).containsExactlyElementsOf(remaining);
    }

    @org.junit.jupiter.api.Test
    void labelNamesValuesAndCardinality() {
        PostingsIndex index = index();
        RoaringBitmap up = index.select(List.of(m(Type.EQUAL, "__name__", "up")));
        assertThat(index.labelValues("job", null)).containsExactly("api", "node");
        assertThat(index.labelValues("instance", up)).containsExactly("a", "b", "c");
        assertThat(index.labelNames(up)).containsExactly("__name__", "instance", "job");
        assertThat(index.labelPairCount()).isEqualTo(2 + 2 + 3 + 2);
        PostingsIndex.CardinalityLists lists = index.cardinality(2);
        assertThat(lists.seriesCountByMetricName()).extracting(e -> e.name() + "=" + e.value())
                .containsExactly("http_requests_total=3", "up=3");
        assertThat(lists.labelValueCountByLabelName()).extracting(e -> e.name() + "=" + e.value())
                .containsExactly("instance=3", "__name__=2");
        assertThat(lists.seriesCountByLabelValuePair()).extracting(e -> e.name() + "=" + e.value())
                .containsExactly("job=api=4", "__name__=http_requests_total=3");
        // memory: sum of value length x series: job = "node"*2 + "api"*4 = 8 + 12
        assertThat(index.cardinality(10).memoryInBytesByLabelName()).contains(new io.kprom.sink.storage.TsdbStats.Entry("job", 20));
    }

    private static PostingsIndex index() {
        PostingsIndex index = new PostingsIndex();
        for (int i = 0; i < SERIES.size(); i++) {
            index.add(i, SERIES.get(i));
        }
        return index;
    }

    private static LabelMatcher m(Type type, String name, String value) {
        return LabelMatcher.of(type, name, value);
    }

    private static List<Integer> ids(RoaringBitmap bitmap) {
        List<Integer> ids = new ArrayList<>();
        bitmap.forEach((int id) -> ids.add(id));
        return ids;
    }
}

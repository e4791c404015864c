package io.kprom.common.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.Labels;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RelabelerTest {
    private static RelabelConfig config(RelabelAction action, List<String> sources, String regex, String target,
            String replacement) {
        return RelabelConfig.of(action, sources, regex, target, replacement);
    }

    private static RelabelConfig hashmod(List<String> sources, String target, long modulus) {
        return new RelabelConfig(sources, ";", "(.*)", modulus, target, "$1", RelabelAction.HASHMOD, null);
    }

    static Stream<Arguments> cases() {
        Labels input = Labels.of("__name__", "http_requests_total", "a", "foo", "b", "bar", "instance", "10.0.0.1:9100");
        return Stream.of(
                Arguments.of("replace with default regex copies value", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), null, "c", null)),
                        input.toBuilder().set("c", "foo").build()),
                Arguments.of("replace joins sources with separator", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a", "b"), "(.*);(.*)", "c", "$2-$1")),
                        input.toBuilder().set("c", "bar-foo").build()),
                Arguments.of("replace without match leaves labels", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), "nomatch", "c", "x")), input),
                Arguments.of("regex is anchored", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), "o+", "c", "x")), input),
                Arguments.of("replace to empty deletes target", input,
                        List.of(config(RelabelAction.REPLACE, List.of("missing"), "", "a", "")),
                        input.toBuilder().remove("a").build()),
                Arguments.of("replace with ${1} and literal suffix", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), "(f)(.*)", "c", "${1}x")),
                        input.toBuilder().set("c", "fx").build()),
                Arguments.of("$1x is a named group and expands to nothing", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), "(f)(.*)", "c", "$1x-y")),
                        input.toBuilder().set("c", "-y").build()),
                Arguments.of("target label from template", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), "(.*)", "lbl_$1", "v")),
                        input.toBuilder().set("lbl_foo", "v").build()),
                Arguments.of("named groups", input,
                        List.of(config(RelabelAction.REPLACE, List.of("instance"), "(?P<host>[^:]+):(?P<port>\\d+)", "host", "$host")),
                        input.toBuilder().set("host", "10.0.0.1").build()),
                Arguments.of("address rewrite from annotation port", Labels.of("__address__", "10.1.2.3:8080",
                                "__meta_kubernetes_pod_annotation_prometheus_io_port", "9102"),
                        List.of(config(RelabelAction.REPLACE, List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
                                "([^:]+)(?::\\d+)?;(\\d+)", "__address__", "$1:$2")),
                        Labels.of("__address__", "10.1.2.3:9102", "__meta_kubernetes_pod_annotation_prometheus_io_port", "9102")),
                Arguments.of("keep matching", input,
                        List.of(config(RelabelAction.KEEP, List.of("a"), "fo.", null, null)), input),
                Arguments.of("keep not matching drops", input,
                        List.of(config(RelabelAction.KEEP, List.of("a"), "bar", null, null)), null),
                Arguments.of("drop matching drops", input,
                        List.of(config(RelabelAction.DROP, List.of("__name__"), "http_.*", null, null)), null),
                Arguments.of("drop of absent label matches empty regex", input,
                        List.of(config(RelabelAction.DROP, List.of("missing"), "", null, null)), null),
                Arguments.of("keepequal keeps equal", Labels.of("a", "x", "b", "x"),
                        List.of(config(RelabelAction.KEEPEQUAL, List.of("a"), null, "b", null)), Labels.of("a", "x", "b", "x")),
                Arguments.of("keepequal drops different", input,
                        List.of(config(RelabelAction.KEEPEQUAL, List.of("a"), null, "b", null)), null),
                Arguments.of("dropequal drops equal", Labels.of("a", "x", "b", "x"),
                        List.of(config(RelabelAction.DROPEQUAL, List.of("a"), null, "b", null)), null),
                Arguments.of("hashmod as Prometheus (md5, last 8 bytes)", input,
                        List.of(hashmod(List.of("instance"), "shard", 4)), input.toBuilder().set("shard", "1").build()),
                Arguments.of("hashmod of foo mod 1000", Labels.of("a", "foo"),
                        List.of(hashmod(List.of("a"), "s", 1000)), Labels.of("a", "foo", "s", "696")),
                Arguments.of("hashmod of empty value", Labels.of("a", "foo"),
                        List.of(hashmod(List.of("missing"), "s", 8)), Labels.of("a", "foo", "s", "6")),
                Arguments.of("labelmap copies matching names", Labels.of("__meta_kubernetes_pod_label_app", "web", "x", "1"),
                        List.of(config(RelabelAction.LABELMAP, List.of(), "__meta_kubernetes_pod_label_(.+)", null, null)),
                        Labels.of("__meta_kubernetes_pod_label_app", "web", "app", "web", "x", "1")),
                Arguments.of("labeldrop", input,
                        List.of(config(RelabelAction.LABELDROP, List.of(), "a|b", null, null)),
                        input.toBuilder().remove("a").remove("b").build()),
                Arguments.of("labelkeep", input,
                        List.of(config(RelabelAction.LABELKEEP, List.of(), "__name__|a", null, null)),
                        Labels.of("__name__", "http_requests_total", "a", "foo")),
                Arguments.of("lowercase", Labels.of("a", "FoO"),
                        List.of(config(RelabelAction.LOWERCASE, List.of("a"), null, "b", null)), Labels.of("a", "FoO", "b", "foo")),
                Arguments.of("uppercase", Labels.of("a", "FoO"),
                        List.of(config(RelabelAction.UPPERCASE, List.of("a"), null, "b", null)), Labels.of("a", "FoO", "b", "FOO")),
                Arguments.of("dot matches newline", Labels.of("a", "x\ny"),
                        List.of(config(RelabelAction.KEEP, List.of("a"), "x.y", null, null)), Labels.of("a", "x\ny")),
                Arguments.of("steps apply in order", input,
                        List.of(config(RelabelAction.REPLACE, List.of("a"), null, "c", null),
                                config(RelabelAction.KEEP, List.of("c"), "foo", null, null),
                                config(RelabelAction.LABELDROP, List.of(), "a", null, null)),
                        input.toBuilder().set("c", "foo").remove("a").build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void relabels(String name, Labels input, List<RelabelConfig> configs, Labels expected) {
        assertThat(Relabeler.process(input, configs)).isEqualTo(expected);
    }

    @Test
    void validationRejectsWhatPrometheusRejects() {
        assertThatThrownBy(() -> config(RelabelAction.REPLACE, List.of("a"), null, "", null))
                .hasMessage("relabel configuration for replace action requires 'target_label' value");
        assertThatThrownBy(() -> config(RelabelAction.LOWERCASE, List.of("a"), null, "b", "x"))
                .hasMessage("'replacement' can not be set for lowercase action");
        assertThatThrownBy(() -> config(RelabelAction.LABELDROP, List.of("a"), "x", null, null))
                .hasMessage("labeldrop action requires only 'regex', and no other fields");
        assertThatThrownBy(() -> config(RelabelAction.KEEPEQUAL, List.of("a"), "x", "b", null))
                .hasMessage("keepequal action requires only 'source_labels' and `target_label`, and no other fields");
    }
}

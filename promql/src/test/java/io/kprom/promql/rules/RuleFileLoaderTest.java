package io.kprom.promql.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kprom.common.labels.Labels;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuleFileLoaderTest {
    /** Accepts any expression except ones containing "BAD", which fail like the parser would. */
    static final ExpressionChecker CHECKER = expr -> {
        if (expr.contains("BAD")) {
            throw new IllegalArgumentException("1:1: parse error: unexpected identifier \"BAD\"");
        }
    };
    private final RuleFileLoader loader = new RuleFileLoader(CHECKER);
    private static final Path FILE = Path.of("rules.yml");

    @Test
    void loadsGroupsWithAllFields() throws Exception {
        List<RuleGroupSpec> groups = loader.parse(FILE, """
                groups:
                  - name: api
                    interval: 30s
                    query_offset: 1m
                    limit: 10
                    labels:
                      team: web
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                        labels:
                          tier: "1"
                      - alert: Down
                        expr: up == 0
                        for: 5m
                        keep_firing_for: 1m30s
                        labels:
                          severity: page
                          team: ops
                        annotations:
                          summary: "{{ $labels.instance }} down"
                  - name: empty
                """);
        assertThat(groups).hasSize(2);
        RuleGroupSpec api = groups.get(0);
        assertThat(api.name()).isEqualTo("api");
        assertThat(api.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(api.queryOffset()).isEqualTo(Duration.ofMinutes(1));
        assertThat(api.limit()).isEqualTo(10);
        assertThat(api.key()).isEqualTo("rules.yml;api");
        assertThat(api.rules().get(0)).isEqualTo(new RuleSpec.Recording("job:up:sum", "sum by (job) (up)",
                Labels.of("team", "web", "tier", "1")));
        RuleSpec.Alerting down = (RuleSpec.Alerting) api.rules().get(1);
        assertThat(down.holdDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(down.keepFiringFor()).isEqualTo(Duration.ofSeconds(90));
        assertThat(down.labels()).isEqualTo(Labels.of("severity", "page", "team", "ops"));
        assertThat(down.annotations()).containsEntry("summary", "{{ $labels.instance }} down");
        assertThat(groups.get(1).interval()).isNull();
        assertThat(groups.get(1).intervalOr(Duration.ofSeconds(15))).isEqualTo(Duration.ofSeconds(15));
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("bad expression", """
                        groups:
                          - name: g
                            rules:
                              - record: r
                                expr: BAD
                        """, "rules.yml: 5:15: group \"g\", rule 1, \"r\": could not parse expression: 1:1: parse error"),
                Arguments.of("repeated group", """
                        groups:
                          - name: g
                            rules: []
                          - name: g
                            rules: []
                        """, "groupname: \"g\" is repeated in the same file"),
                Arguments.of("empty group name", """
                        groups:
                          - rules: []
                        """, "Groupname must not be empty"),
                Arguments.of("record and alert", """
                        groups:
                          - name: g
                            rules:
                              - record: r
                                alert: A
                                expr: up
                        """, "only one of 'record' and 'alert' must be set"),
                Arguments.of("neither record nor alert", """
                        groups:
                          - name: g
                            rules:
                              - expr: up
                        """, "one of 'record' or 'alert' must be set"),
                Arguments.of("missing expr", """
                        groups:
                          - name: g
                            rules:
                              - alert: A
                        """, "field 'expr' must be set in rule"),
                Arguments.of("bad metric name", """
                        groups:
                          - name: g
                            rules:
                              - record: "bad-name"
                                expr: up
                        """, "invalid recording rule name: bad-name"),
                Arguments.of("bad label name", """
                        groups:
                          - name: g
                            rules:
                              - alert: A
                                expr: up
                                labels:
                                  "bad-label": x
                        """, "group \"g\", rule 1, \"A\": invalid label name: bad-label"),
                Arguments.of("for in recording rule", """
                        groups:
                          - name: g
                            rules:
                              - record: r
                                expr: up
                                for: 1m
                        """, "invalid field 'for' in recording rule"),
                Arguments.of("unknown template function", """
                        groups:
                          - name: g
                            rules:
                              - alert: A
                                expr: up
                                annotations:
                                  summary: "{{ humanise $value }}"
                        """, "annotation \"summary\": template: __alert_A:1: function \"humanise\" not defined"),
                Arguments.of("unknown field", """
                        groups:
                          - name: g
                            rules:
                              - alert: A
                                expr: up
                                severity: page
                        """, "line 6: field severity not found in rule"),
                Arguments.of("bad duration", """
                        groups:
                          - name: g
                            interval: 5 minutes
                            rules: []
                        """, "not a valid duration string: \"5 minutes\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void rejectsBadFilesNamingFileGroupAndRule(String name, String yaml, String expected) {
        assertThatThrownBy(() -> loader.parse(FILE, yaml))
                .isInstanceOf(RuleLoadException.class)
                .hasMessageContaining(expected)
                .hasMessageContaining("rules.yml");
    }

    @Test
    void reportsEveryProblemOfAFile() {
        assertThatThrownBy(() -> loader.parse(FILE, """
                groups:
                  - name: g
                    rules:
                      - record: r
                        expr: BAD
                      - alert: A
                        expr: BAD
                """)).isInstanceOfSatisfying(RuleLoadException.class, e -> assertThat(e.errors()).hasSize(2));
    }

    @Test
    void emptyFileHasNoGroups() throws Exception {
        assertThat(loader.parse(FILE, "")).isEmpty();
        assertThat(loader.parse(FILE, "groups:\n")).isEmpty();
    }

    @Test
    void standardLoaderChecksExpressionsWithThePromqlParser() {
        assertThatThrownBy(() -> RuleFileLoader.standard().parse(FILE, """
                groups:
                  - name: g
                    rules:
                      - record: r
                        expr: sum by (job (up)
                """)).hasMessageContaining("rules.yml: 5:15: group \"g\", rule 1, \"r\": could not parse expression: 1:");
    }
}

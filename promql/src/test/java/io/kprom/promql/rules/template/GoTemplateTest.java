package io.kprom.promql.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoTemplateTest {
    private static final TemplateData DATA = new TemplateData(
            Map.of("job", "api", "instance", "host-1.example.com:9100", "__name__", "up"),
            Map.of("cluster", "eu1"), "http://prom.example.com/prefix", 1234.5678);
    private static final TemplateContext CONTEXT = new TemplateContext() {
        @Override
        public List<QuerySample> query(String expr) {
            return switch (expr) {
                case "up" -> List.of(new QuerySample(Map.of("instance", "b"), 1),
                        new QuerySample(Map.of("instance", "a"), 0));
                case "none" -> List.of();
                default -> throw new IllegalArgumentException("unexpected " + expr);
            };
        }

        @Override
        public long timeMillis() {
            return 60_000;
        }

        @Override
        public String externalUrl() {
            return "http://prom.example.com/prefix";
        }
    };

    static String render(String text) throws TemplateException {
        return GoTemplate.parse("__alert_T", text).execute(DATA, CONTEXT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
            plain text                           # plain text
            {{ $labels.job }}                    # api
            {{ .Labels.job }}                    # api
            {{ $labels.missing }}x               # x
            {{ $value }}                         # 1234.5678
            {{ $externalLabels.cluster }}        # eu1
            {{ humanize $value }}                # 1.235k
            {{ humanize 0.000123 }}              # 123u
            {{ humanize 0 }}                     # 0
            {{ humanize 1e9 }}                   # 1G
            {{ humanize1024 1048576 }}           # 1Mi
            {{ humanize1024 1536 }}              # 1.5ki
            {{ humanize1024 0.5 }}               # 0.5
            {{ humanizePercentage 0.1234 }}      # 12.34%
            {{ humanizeDuration 90061 }}         # 1d 1h 1m 1s
            {{ humanizeDuration 3600 }}          # 1h 0m 0s
            {{ humanizeDuration 12.5 }}          # 12.5s
            {{ humanizeDuration 0.25 }}          # 250ms
            {{ humanizeDuration "0" }}           # 0s
            {{ humanizeTimestamp 1435065584.128 }} # 2015-06-23 13:19:44.128 +0000 UTC
            {{ printf "%.2f" $value }}           # 1234.57
            {{ printf "%d-%s" 3 "x" }}           # 3-x
            {{ printf "%5.1f|%-4s|" 2.25 "a" }}  # '  2.2|a   |'
            {{ printf "%g" 1e21 }}               # 1e+21
            {{ printf "%v" 1000000.0 }}          # 1e+06
            {{ printf "%q" "ab" }}               # '"ab"'
            {{ toUpper "abc" }}                  # ABC
            {{ toLower "ABC" }}                  # abc
            {{ title "hello world" }}            # Hello World
            {{ $labels.instance | stripPort }}   # host-1.example.com
            {{ $labels.instance | stripDomain }} # host-1:9100
            {{ reReplaceAll "(.*):.*" "$1" $labels.instance }} # host-1.example.com
            {{ reReplaceAll "a(x*)b" "${1}W" "-ab-axxb-" }} # -W-xxW-
            {{ match "^h" $labels.instance }}    # true
            {{ query "up" | first | value }}     # 1
            {{ query "up" | first | label "instance" }} # b
            {{ query "up" | sortByLabel "instance" | first | label "instance" }} # a
            {{ range query "up" }}{{ .Labels.instance }}={{ .Value }};{{ end }} # b=1;a=0;
            {{ range $i, $s := query "up" }}{{ $i }}:{{ $s.Value }} {{ end }} # '0:1 1:0 '
            {{ range query "none" }}x{{ else }}empty{{ end }} # empty
            {{ if gt $value 1000.0 }}big{{ else }}small{{ end }} # big
            {{ if eq $labels.job "web" }}w{{ else if eq $labels.job "api" }}a{{ else }}o{{ end }} # a
            {{ with $labels.job }}job={{ . }}{{ end }} # job=api
            {{ $x := "v" }}{{ $x }}{{ $x = "w" }}{{ $x }} # vw
            {{- " trimmed " -}}                  # ' trimmed '
            a {{- /* comment */ -}} b            # ab
            {{ len $labels }}                    # 3
            {{ index $labels "job" }}            # api
            {{ and 1 0 }}|{{ or 0 "y" }}|{{ not true }} # 0|y|false
            {{ externalURL }}                    # http://prom.example.com/prefix
            {{ pathPrefix }}                     # /prefix
            {{ graphLink "up > 0" }}             # /graph?g0.expr=up+%3E+0&g0.tab=0
            {{ now }}                            # 60
            {{ parseDuration "1m30s" }}          # 90
            {{ toTime 0 }}                       # 1970-01-01 00:00:00 +0000 UTC
            """)
    void renders(String template, String expected) throws TemplateException {
        assertThat(render(template)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
            {{ humanise $value }}    # template: __alert_T:1: function "humanise" not defined
            {{ $nope }}              # template: __alert_T:1: undefined variable "$nope"
            {{ if true }}            # template: __alert_T:1: unexpected EOF
            {{ end }}                # template: __alert_T:1: unexpected {{end}}
            {{ .Labels.job           # template: __alert_T:1: unclosed action
            {{ template "x" }}       # template: __alert_T:1: {{template}} is not supported in kprom alert templates
            """)
    void rejectsAtParseTime(String template, String message) {
        assertThatThrownBy(() -> GoTemplate.parse("__alert_T", template)).isInstanceOf(TemplateException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', textBlock = """
            {{ query "none" | first }}  # error calling first: first() called on vector with no elements
            {{ humanize "abc" }}        # error calling humanize: strconv.ParseFloat: parsing "abc": invalid syntax
            {{ humanize 1 2 }}          # wrong number of args for humanize: want 1 got 2
            """)
    void failsAtExecution(String template, String message) {
        assertThatThrownBy(() -> render(template)).isInstanceOf(TemplateException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            g | -1 | 100000      | 100000
            g | -1 | 1000000     | 1e+06
            g | -1 | 0.0001      | 0.0001
            g | -1 | 0.00001     | 1e-05
            g | -1 | 1.5         | 1.5
            g | 4  | 1234.5      | 1234
            g | 4  | 12345       | 1.234e+04
            g | 4  | 0.000012345 | 1.234e-05
            e | -1 | 1           | 1e+00
            e | -1 | 0.25        | 2.5e-01
            f | 2  | 2.675       | 2.67
            f | 0  | 0.5         | 0
            """)
    void formatsFloatsLikeGo(char verb, int precision, double value, String expected) {
        assertThat(GoFormat.formatFloat(value, verb, precision)).isEqualTo(expected);
    }
}

package io.kprom.standalone.fault.corpus;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One invalid {@code prometheus.yml} of the corpus: written over the running file, then
 * {@code POST /-/reload} must answer 500 with {@code error} (the text after {@code <file>:}, i.e.
 * {@code line: field: problem}) and keep the running configuration. {@code exact} is false for the rows
 * whose message the configuration owner still has to make clear (reported): only its start is pinned.
 */
public record ConfigCase(String name, byte[] content, String error, boolean exact) {
    @Override
    public String toString() {
        return name;
    }

    public static List<ConfigCase> all() {
        return List.of(
                yaml("unknown_field", "scrape_configs:\n  - job_name: a\n    scrape_intervall: 5s\n",
                        "3: scrape_configs[0].scrape_intervall: field scrape_intervall not found (did you mean scrape_interval?)"),
                yaml("bad_duration", "global:\n  scrape_interval: 5x\n", "2: global.scrape_interval: not a valid duration string: \"5x\""),
                yaml("timeout_above_interval", "scrape_configs:\n  - job_name: a\n    scrape_interval: 1s\n"
                        + "    scrape_timeout: 5s\n", "4: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval"
                                + " for scrape config with job name \"a\""),
                yaml("duplicate_job", "scrape_configs:\n  - job_name: a\n  - job_name: a\n", "3: scrape_configs[1]: found multiple scrape configs with job name \"a\""),
                yaml("invalid_relabel_regexp", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n"
                        + "      - source_labels: [x]\n        regex: '('\n", "5: scrape_configs[0].relabel_configs[0].regex:"
                                + " error parsing regexp: missing closing )"),
                yaml("yaml_syntax", "scrape_configs:\n  - job_name: [a\n", "3: invalid YAML: expected ',' or ']', but got <stream end>"),
                yaml("not_a_mapping", "- just\n- a list\n", "1: expected a mapping, got a list"),
                new ConfigCase("invalid_utf8", new byte[] {'g', 'l', 'o', 'b', 'a', 'l', ':', ' ', (byte) 0xff, (byte) 0xfe,
                        '\n'}, "1: invalid UTF-8 (byte 0xff at offset 8); the configuration file must be UTF-8", true));
    }

    private static ConfigCase yaml(String name, String text, String error) {
        return new ConfigCase(name, text.getBytes(StandardCharsets.UTF_8), error, true);
    }
}

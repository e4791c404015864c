package io.kprom.common.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code prometheus.yml} file, loaded with Prometheus's schema and defaults. Every component
 * reads the same file. Unknown or mistyped fields fail with file:line:field.
 *
 * <pre>{@code
 * PrometheusConfig config = PrometheusConfig.load(Path.of("prometheus.yml"));
 * for (ScrapeConfig job : config.scrapeConfigs()) { ... }
 * }</pre>
 *
 * Immutable; reload by loading again.
 */
public record PrometheusConfig(Path sourceFile, String sourceText, GlobalConfig global, List<ScrapeConfig> scrapeConfigs,
        List<String> ruleFiles, AlertingConfig alerting, List<RemoteWriteConfig> remoteWrite) {

    /** The configuration of an empty file: Prometheus's defaults, no jobs. */
    public static PrometheusConfig empty() {
        return new PrometheusConfig(null, "", GlobalConfig.DEFAULT, List.of(), List.of(), AlertingConfig.EMPTY, List.of());
    }

    public static PrometheusConfig load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, null, "cannot read config file: " + e.getMessage());
        }
        return parse(decodeUtf8(bytes, file.toString()), file);
    }

    /** Strict UTF-8 decoding whose error names the line of the first invalid byte (YAML must be UTF-8). */
    static String decodeUtf8(byte[] bytes, String fileName) throws ConfigException {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(in, out, true);
        if (result.isError()) {
            int bad = in.position();
            int line = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new ConfigException(fileName, line, null, String.format(
                    "invalid UTF-8 (byte 0x%02x at offset %d); the configuration file must be UTF-8", bytes[bad] & 0xff, bad));
        }
        out.flip();
        return out.toString();
    }

    /** Parses YAML text; file (may be null) names the source in errors and anchors relative paths. */
    public static PrometheusConfig parse(String yaml, Path file) throws ConfigException {
        String fileName = file == null ? "<config>" : file.toString();
        ConfigPaths paths = new ConfigPaths(file == null ? null : file.toAbsolutePath().getParent());
        YamlNode root = YamlNode.parse(yaml, fileName);
        GlobalConfig global = GlobalConfig.fromYaml(root.get("global"));
        List<ScrapeConfig> scrapes = new ArrayList<>(root.bindList("scrape_configs", n -> ScrapeConfig.fromYaml(n, global, paths)));
        for (YamlNode globNode : root.list("scrape_config_files")) {
            for (Path included : expandGlob(paths.resolve(globNode.scalar()), globNode)) {
                scrapes.addAll(loadScrapeConfigFile(included, global));
            }
        }
        Set<String> jobs = new HashSet<>();
        List<YamlNode> scrapeNodes = root.list("scrape_configs");
        for (int i = 0; i < scrapes.size(); i++) {
            if (!jobs.add(scrapes.get(i).jobName())) {
                YamlNode where = i < scrapeNodes.size() ? scrapeNodes.get(i) : root;
                throw where.error("found multiple scrape configs with job name \"" + scrapes.get(i).jobName() + "\"");
            }
        }
        List<String> ruleFiles = new ArrayList<>();
        for (YamlNode ruleNode : root.list("rule_files")) {
            String pattern = ruleNode.scalar();
            if (pattern.isEmpty()) {
                throw ruleNode.error("invalid rule file path \"\"");
            }
            ruleFiles.add(paths.resolve(pattern));
        }
        AlertingConfig alerting = AlertingConfig.fromYaml(root.get("alerting"), paths);
        List<RemoteWriteConfig> remoteWrite = root.bindList("remote_write", n -> RemoteWriteConfig.fromYaml(n, paths));
        Set<String> names = new HashSet<>();
        for (RemoteWriteConfig rw : remoteWrite) {
            if (!rw.name().isEmpty() && !names.add(rw.name())) {
                throw root.get("remote_write").error("found multiple remote write configs with job name \"" + rw.name() + "\"");
            }
        }
        // Sections kprom accepts for compatibility but does not use.
        for (String ignored : List.of("remote_read", "storage", "tracing", "otlp", "runtime")) {
            root.get(ignored);
        }
        root.rejectUnknownFields();
        return new PrometheusConfig(file, yaml, global, List.copyOf(scrapes), List.copyOf(ruleFiles), alerting,
                List.copyOf(remoteWrite));
    }

    private static List<ScrapeConfig> loadScrapeConfigFile(Path file, GlobalConfig global) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, null, "cannot read scrape config file: " + e.getMessage());
        }
        YamlNode root = YamlNode.parse(text, file.toString());
        ConfigPaths paths = new ConfigPaths(file.toAbsolutePath().getParent());
        List<ScrapeConfig> result = root.bindList("scrape_configs", n -> ScrapeConfig.fromYaml(n, global, paths));
        root.rejectUnknownFields();
        return result;
    }

    /** The rule files matching the {@code rule_files} globs, sorted, without duplicates. */
    public List<Path> resolvedRuleFiles() throws ConfigException {
        TreeSet<Path> result = new TreeSet<>();
        for (String pattern : ruleFiles) {
            result.addAll(expandGlob(pattern, null));
        }
        return List.copyOf(result);
    }

    /** Expands a glob in the last path element (as Go's filepath.Glob does for typical rule paths). */
    static List<Path> expandGlob(String pattern, YamlNode where) throws ConfigException {
        Path path = Path.of(pattern);
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            return Files.exists(path) ? List.of(path) : List.of();
        }
        Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
        List<Path> matches = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return matches;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, name)) {
            for (Path p : stream) {
                matches.add(p);
            }
        } catch (IOException | IllegalArgumentException e) {
            String message = "invalid file glob \"" + pattern + "\": " + e.getMessage();
            throw where == null ? new ConfigException(pattern, 0, "rule_files", message) : where.error(message);
        }
        matches.sort(null);
        return matches;
    }
}

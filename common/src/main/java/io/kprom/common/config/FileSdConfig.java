package io.kprom.common.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code file_sd_configs}: file globs (resolved against the config directory) and a refresh interval (default 5m). */
public record FileSdConfig(List<String> files, Duration refreshInterval) {
    static FileSdConfig fromYaml(YamlNode node, ConfigPaths paths) throws ConfigException {
        List<String> files = node.stringList("files").stream().map(paths::resolve).toList();
        Duration refresh = node.duration("refresh_interval", Duration.ofMinutes(5));
        node.rejectUnknownFields();
        if (files.isEmpty()) {
            throw node.error("file service discovery config must contain at least one path name");
        }
        for (String file : files) {
            String name = Path.of(file).getFileName().toString();
            if (!(name.endsWith(".json") || name.endsWith(".yml") || name.endsWith(".yaml"))) {
                throw node.error("path name \"" + file + "\" is not valid for file discovery");
            }
        }
        return new FileSdConfig(files, refresh);
    }
}

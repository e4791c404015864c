package io.kprom.common.config;

import java.nio.file.Path;

/** Resolves relative file references against the directory of the config file, as Prometheus does. */
record ConfigPaths(Path directory) {
    String resolve(String file) {
        if (file == null || file.isEmpty()) {
            return file;
        }
        Path path = Path.of(file);
        return path.isAbsolute() || directory == null ? file : directory.resolve(path).normalize().toString();
    }
}

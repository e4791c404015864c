package io.kprom.scraper.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.kprom.common.config.FileSdConfig;
import io.kprom.common.config.TargetGroup;
import io.kprom.common.labels.Labels;
import io.prometheus.metrics.core.metrics.Counter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file_sd_configs}: reads JSON or YAML lists of {@code {targets: [...], labels: {...}}} from files
 * matching the configured globs (glob in the file name only, as Prometheus), every refresh interval and
 * whenever a file's modification time or size changes (checked every second). Each group gets
 * {@code __meta_filepath}; its source is {@code path:index}. A file that cannot be read or parsed keeps its
 * previous groups and counts in {@code prometheus_sd_file_read_errors_total}; a file that disappears sends
 * its groups again with no targets.
 */
public final class FileDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(FileDiscoverer.class);
    private static final Counter READ_ERRORS = Counter.builder().name("prometheus_sd_file_read_errors_total")
            .help("The number of File-SD read errors.").register();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final FileSdConfig config;
    private final long pollMillis;
    private final Map<Path, Integer> groupCounts = new HashMap<>();
    private final Map<Path, String> stamps = new HashMap<>();

    public FileDiscoverer(FileSdConfig config) {
        this(config, 1000);
    }

    FileDiscoverer(FileSdConfig config, long pollMillis) {
        this.config = config;
        this.pollMillis = pollMillis;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        long refreshMillis = Math.max(1000, config.refreshInterval().toMillis());
        long nextFullRefresh = 0;
        while (!Thread.currentThread().isInterrupted()) {
            boolean full = System.currentTimeMillis() >= nextFullRefresh;
            List<TargetGroup> changed = refresh(full);
            if (full) {
                nextFullRefresh = System.currentTimeMillis() + refreshMillis;
            }
            if (!changed.isEmpty() || full) {
                sink.accept(changed);
            }
            Thread.sleep(pollMillis);
        }
        throw new InterruptedException();
    }

    /** Reads every file whose stamp changed (all when {@code all}); returns the groups to send. */
    List<TargetGroup> refresh(boolean all) {
        List<TargetGroup> out = new ArrayList<>();
        TreeSet<Path> current = new TreeSet<>();
        for (String pattern : config.files()) {
            current.addAll(expand(pattern));
        }
        for (Path path : current) {
            String stamp = stamp(path);
            if (!all && stamp.equals(stamps.get(path))) {
                continue;
            }
            try {
                List<TargetGroup> groups = read(path);
                stamps.put(path, stamp);
                out.addAll(groups);
                int previous = groupCounts.getOrDefault(path, 0);
                for (int i = groups.size(); i < previous; i++) {
                    out.add(new TargetGroup(List.of(), Labels.EMPTY, path + ":" + i));
                }
                groupCounts.put(path, groups.size());
            } catch (IOException | RuntimeException e) {
                READ_ERRORS.inc();
                LOG.warn("file_sd: cannot read {}: {}", path, e.getMessage());
            }
        }
        for (Iterator<Map.Entry<Path, Integer>> it = groupCounts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Path, Integer> entry = it.next();
            if (!current.contains(entry.getKey())) {
                for (int i = 0; i < entry.getValue(); i++) {
                    out.add(new TargetGroup(List.of(), Labels.EMPTY, entry.getKey() + ":" + i));
                }
                stamps.remove(entry.getKey());
                it.remove();
            }
        }
        return out;
    }

    private static List<Path> expand(String pattern) {
        Path path = Path.of(pattern);
        Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
        String name = path.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, name)) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            READ_ERRORS.inc();
        }
        return out;
    }

    private static String stamp(Path path) {
        try {
            FileTime time = Files.getLastModifiedTime(path);
            return time.toMillis() + "/" + Files.size(path);
        } catch (IOException e) {
            return "";
        }
    }

    static List<TargetGroup> read(Path path) throws IOException {
        String name = path.getFileName().toString();
        JsonNode root = (name.endsWith(".json") ? JSON : YAML).readTree(path.toFile());
        List<TargetGroup> groups = new ArrayList<>();
        if (root == null || root.isNull() || root.isMissingNode()) {
            return groups;
        }
        if (!root.isArray()) {
            throw new IOException("expected a list of target groups");
        }
        int index = 0;
        for (JsonNode node : root) {
            if (!node.isObject()) {
                throw new IOException("target group " + index + " is not a mapping");
            }
            List<String> targets = new ArrayList<>();
            JsonNode targetsNode = node.get("targets");
            if (targetsNode != null && !targetsNode.isNull()) {
                if (!targetsNode.isArray()) {
                    throw new IOException("targets of group " + index + " is not a list");
                }
                for (JsonNode target : targetsNode) {
                    targets.add(target.asText());
                }
            }
            Map<String, String> labels = new LinkedHashMap<>();
            JsonNode labelsNode = node.get("labels");
            if (labelsNode != null && !labelsNode.isNull()) {
                if (!labelsNode.isObject()) {
                    throw new IOException("labels of group " + index + " is not a mapping");
                }
                labelsNode.fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            }
            labels.put("__meta_filepath", path.toString());
            groups.add(new TargetGroup(targets, Labels.fromMap(labels), path + ":" + index));
            index++;
        }
        return groups;
    }
}

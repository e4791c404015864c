package io.kprom.common.config;

import io.kprom.common.labels.Labels;
import java.util.List;

/** A group of targets sharing labels, from static config or a discoverer; source identifies the group. */
public record TargetGroup(List<String> targets, Labels labels, String source) {
    public TargetGroup {
        targets = List.copyOf(targets);
    }

    static TargetGroup fromYaml(YamlNode node, String source) throws ConfigException {
        List<String> targets = node.stringList("targets");
        Labels labels = Labels.fromMap(node.stringMap("labels"));
        node.rejectUnknownFields();
        return new TargetGroup(targets, labels, source);
    }
}

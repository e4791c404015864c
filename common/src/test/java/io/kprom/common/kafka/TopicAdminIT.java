package io.kprom.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.testsupport.KafkaBroker;
import io.kprom.testsupport.KafkaBrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaBrokerExtension.class)
class TopicAdminIT {
    @Test
    void createsMissingTopicsWithCatalogueSettingsAndLeavesThemOnSecondRun(KafkaBroker broker) throws Exception {
        List<TopicSpec> specs = renamed(TopicCatalogue.defaults().topics(), "create-");
        try (Admin admin = broker.admin()) {
            TopicAdmin topicAdmin = new TopicAdmin(admin, Duration.ofSeconds(30));

            TopicAdmin.Report first = topicAdmin.ensureTopics(specs);
            TopicAdmin.Report second = topicAdmin.ensureTopics(specs);

            assertThat(first.created()).containsExactlyElementsOf(specs.stream().map(TopicSpec::name).toList());
            assertThat(second.created()).isEmpty();
            assertThat(second.existing()).hasSize(specs.size());
            assertThat(second.differences()).isEmpty();
            TopicSpec metadata = specs.get(2);
            Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, metadata.name())))
                    .all().get().values().iterator().next();
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("compression.type").value()).isEqualTo("zstd");
        }
    }

    @Test
    void reportsExistingTopicsThatDifferWithoutChangingThem(KafkaBroker broker) throws Exception {
        TopicSpec wanted = TopicCatalogue.defaults().topic(Topics.METRICS_SAMPLES);
        String name = "differs-" + wanted.name();
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, 2, (short) 1).configs(Map.of("retention.ms", "1000", "compression.type", "lz4"))))
                    .all().get();

            TopicAdmin.Report report = new TopicAdmin(admin, Duration.ofSeconds(30))
                    .ensureTopics(List.of(new TopicSpec(name, wanted.partitions(), wanted.replicationFactor(), wanted.configs())));

            assertThat(report.created()).isEmpty();
            assertThat(report.matchesCatalogue()).isFalse();
            assertThat(report.differences()).extracting(TopicAdmin.Difference::setting)
                    .containsExactlyInAnyOrder("partitions", "retention.ms", "compression.type", "max.message.bytes");
            assertThat(report.differences()).contains(new TopicAdmin.Difference(name, "partitions", "12", "2"));
            assertThat(admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions()).hasSize(2);
        }
    }

    private static List<TopicSpec> renamed(List<TopicSpec> specs, String prefix) {
        return specs.stream().map(s -> new TopicSpec(prefix + s.name(), s.partitions(), s.replicationFactor(), s.configs())).toList();
    }
}

package io.kprom.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker's topics match the {@link TopicCatalogue} as far as is safe at start-up: creates
 * missing topics, and reports (logs at WARN and returns) existing topics whose partition count,
 * replication factor or topic configs differ. It never alters an existing topic: changing partitions
 * re-shards series and is an operator decision.
 *
 * <pre>{@code
 * try (Admin admin = Admin.create(KafkaClientDefaults.admin(bootstrap))) {
 *     TopicAdmin.Report report = new TopicAdmin(admin, Duration.ofSeconds(30)).ensureTopics(catalogue.topics());
 * }
 * }</pre>
 *
 * Not thread-safe; the {@link Admin} stays owned by the caller.
 */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private final Admin admin;
    private final Duration timeout;

    public TopicAdmin(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** One setting of an existing topic that differs from the catalogue. */
    public record Difference(String topic, String setting, String expected, String actual) {
        @Override
        public String toString() {
            return topic + " " + setting + ": catalogue " + expected + ", broker " + actual;
        }
    }

    /** What {@link #ensureTopics} did and found. */
    public record Report(List<String> created, List<String> existing, List<Difference> differences) {
        public boolean matchesCatalogue() {
            return differences.isEmpty();
        }
    }

    /**
     * Creates the missing topics of {@code specs} and compares the existing ones.
     *
     * @throws KafkaAdminException when the broker cannot be reached or refuses within the timeout
     */
    public Report ensureTopics(Collection<TopicSpec> specs) {
        Set<String> names = get(admin.listTopics().names(), "list topics");
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (names.contains(spec.name())) {
                existing.add(spec.name());
            } else {
                missing.add(new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()));
            }
        }
        if (!missing.isEmpty()) {
            var results = admin.createTopics(missing).values();
            for (NewTopic topic : missing) {
                try {
                    results.get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(topic.name());
                    LOG.info("created topic {} ({} partitions, replication factor {}, {})", topic.name(),
                            topic.numPartitions(), topic.replicationFactor(), topic.configs());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new KafkaAdminException("cannot create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                    existing.add(topic.name()); // another instance created it meanwhile
                } catch (TimeoutException e) {
                    throw new KafkaAdminException("creating topic " + topic.name() + " timed out after " + timeout, e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaAdminException("interrupted while creating topic " + topic.name(), e);
                }
            }
        }
        List<Difference> differences = compare(specs.stream().filter(s -> existing.contains(s.name())).toList());
        for (Difference difference : differences) {
            LOG.warn("topic {} differs from the kprom topic catalogue: {} is {} on the broker, catalogue wants {} "
                    + "(not changed automatically; alter the topic or override the catalogue)",
                    difference.topic(), difference.setting(), difference.actual(), difference.expected());
        }
        return new Report(List.copyOf(created), List.copyOf(existing), differences);
    }

    private List<Difference> compare(List<TopicSpec> specs) {
        if (specs.isEmpty()) {
            return List.of();
        }
        Map<String, TopicDescription> descriptions = describeTopics(specs.stream().map(TopicSpec::name).toList());
        List<ConfigResource> resources = specs.stream().map(s -> new ConfigResource(ConfigResource.Type.TOPIC, s.name())).toList();
        Map<ConfigResource, Config> configs = get(admin.describeConfigs(resources).all(), "describe topic configs");
        List<Difference> differences = new ArrayList<>();
        for (TopicSpec spec : specs) {
            TopicDescription description = descriptions.get(spec.name());
            int partitions = description.partitions().size();
            if (partitions != spec.partitions()) {
                differences.add(new Difference(spec.name(), "partitions", Integer.toString(spec.partitions()), Integer.toString(partitions)));
            }
            int replicas = description.partitions().get(0).replicas().size();
            if (replicas != spec.replicationFactor()) {
                differences.add(new Difference(spec.name(), "replication.factor", Short.toString(spec.replicationFactor()),
                        Integer.toString(replicas)));
            }
            Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            Map<String, String> actual = new HashMap<>();
            for (ConfigEntry entry : config.entries()) {
                actual.put(entry.name(), entry.value());
            }
            spec.configs().forEach((key, expected) -> {
                String value = actual.get(key);
                if (!expected.equals(value)) {
                    differences.add(new Difference(spec.name(), key, expected, String.valueOf(value)));
                }
            });
        }
        return differences;
    }

    /** Describes topics, waiting out the moment after a creation when metadata has not reached the broker yet. */
    private Map<String, TopicDescription> describeTopics(List<String> names) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return get(admin.describeTopics(names).allTopicNames(), "describe topics");
            } catch (KafkaAdminException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaAdminException("interrupted while describing topics " + names, e);
            }
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaAdminException("cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaAdminException("cannot " + what + ": no answer from Kafka within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaAdminException("interrupted while trying to " + what, e);
        }
    }
}

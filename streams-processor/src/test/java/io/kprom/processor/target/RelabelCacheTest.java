package io.kprom.processor.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.kprom.common.labels.Labels;
import io.kprom.processor.config.JobPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelabelCacheTest {
    private static final Labels TARGET = Labels.of("job", "node", "instance", "a:1");
    private static final JobPolicy POLICY = JobPolicy.defaults("node");

    private static RelabelCache.Result result(String name) {
        Labels labels = Labels.of("__name__", name);
        return new RelabelCache.Result(labels, labels.stableHash(), labels.toList());
    }

    @Test
    void remembersPerTargetUntilASeriesIsMissingFromAScrape() {
        RelabelCache cache = new RelabelCache(100);
        RelabelCache.Scrape first = cache.begin("t1", TARGET, POLICY);
        first.put(List.of("__name__", "a"), result("a"));
        first.put(List.of("__name__", "b"), RelabelCache.DROPPED);
        first.end();
        assertThat(cache.size()).isEqualTo(2);

        RelabelCache.Scrape second = cache.begin("t1", TARGET, POLICY);
        // Equal lists (new instances, another List type) hit.
        assertThat(second.get(new ArrayList<>(List.of("__name__", "a")))).isEqualTo(result("a"));
        assertThat(cache.begin("t2", TARGET, POLICY).get(List.of("__name__", "a"))).isNull();
        second.end();
        // "b" was not seen in the second scrape.
        assertThat(cache.size()).isEqualTo(1);
        assertThat(cache.begin("t1", TARGET, POLICY).get(List.of("__name__", "b"))).isNull();
    }

    @Test
    void changedTargetLabelsOrPolicyStartAfresh() {
        RelabelCache cache = new RelabelCache(100);
        RelabelCache.Scrape scrape = cache.begin("t1", TARGET, POLICY);
        scrape.put(List.of("__name__", "a"), result("a"));
        scrape.end();
        assertThat(cache.begin("t1", TARGET, POLICY.withHonorLabels(true)).get(List.of("__name__", "a"))).isNull();
        assertThat(cache.size()).isZero();
        scrape = cache.begin("t1", TARGET, POLICY);
        scrape.put(List.of("__name__", "a"), result("a"));
        assertThat(cache.begin("t1", Labels.of("job", "node", "instance", "b:1"), POLICY).get(List.of("__name__", "a"))).isNull();
        scrape = cache.begin("t1", TARGET, POLICY);
        scrape.put(List.of("__name__", "a"), result("a"));
        cache.forget("t1");
        assertThat(cache.size()).isZero();
    }

    @Test
    void holdsAtMostItsCapacity() {
        RelabelCache cache = new RelabelCache(10);
        RelabelCache.Scrape scrape = cache.begin("bomb", TARGET, POLICY);
        for (int i = 0; i < 1_000; i++) {
            scrape.put(List.of("__name__", "m", "id", Integer.toString(i)), result("m"));
        }
        scrape.end();
        assertThat(cache.size()).isEqualTo(10);
    }
}

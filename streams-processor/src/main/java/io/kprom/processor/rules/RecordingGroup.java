package io.kprom.processor.rules;

import io.kprom.common.labels.LabelMatcher;
import java.util.List;
import java.util.Objects;

/**
 * A recording rule group as the processor runs it.
 *
 * @param name group key (unique; Prometheus's {@code file;name})
 * @param intervalMillis evaluation interval; evaluations run at multiples of it (epoch-aligned)
 * @param queryOffsetMillis how far behind the evaluation time the rules query (and stamp results)
 * @param limit the group's {@code limit}: a rule returning more series fails (0: none)
 * @param rules the recording rules in evaluation order
 * @param selectors the label matchers of every vector selector in the rules' expressions; a series
 *        matching any of them is forwarded to this group's window
 * @param windowMillis how much history the window keeps before the query time: the largest range
 *        (plus offsets) in the expressions plus the lookback delta
 */
public record RecordingGroup(String name, long intervalMillis, long queryOffsetMillis, int limit,
        List<RecordingRule> rules, List<List<LabelMatcher>> selectors, long windowMillis) {
    public RecordingGroup {
        Objects.requireNonNull(name, "name");
        rules = List.copyOf(rules);
        selectors = selectors.stream().map(List::copyOf).toList();
        if (intervalMillis <= 0 || queryOffsetMillis < 0 || windowMillis <= 0) {
            throw new IllegalArgumentException("group " + name + ": interval and window must be > 0, query offset >= 0");
        }
    }

    /** Whether any selector of the group's expressions matches the series. */
    public boolean selects(io.kprom.common.labels.Labels labels) {
        for (List<LabelMatcher> matchers : selectors) {
            boolean all = true;
            for (LabelMatcher matcher : matchers) {
                if (!matcher.matches(labels)) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}

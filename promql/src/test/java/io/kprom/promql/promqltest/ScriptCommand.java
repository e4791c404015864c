package io.kprom.promql.promqltest;

import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.InMemoryQuerier;
import java.util.ArrayList;
import java.util.List;

/** One {@code eval} of a promqltest script with the storage state it runs against. */
final class ScriptCommand {
    enum Kind { INSTANT, RANGE }

    /** An expected series (or scalar / string when labels are null) and its values. */
    record Expected(Labels labels, List<Double> values, String text, int line) {
    }

    final String file;
    final int line;
    final Kind kind;
    final String query;
    final long startMillis;
    final long endMillis;
    final long stepMillis;
    final InMemoryQuerier storage;
    final List<Expected> expected = new ArrayList<>();
    boolean expectFail;
    String failMessage;
    String failRegex;
    boolean expectWarn;
    String warnMessage;
    boolean expectInfo;
    String infoMessage;
    boolean expectNoWarn;
    boolean expectNoInfo;
    boolean ordered;
    Long lookbackMillis;

    ScriptCommand(String file, int line, Kind kind, String query, long startMillis, long endMillis, long stepMillis,
            InMemoryQuerier storage) {
        this.file = file;
        this.line = line;
        this.kind = kind;
        this.query = query;
        this.startMillis = startMillis;
        this.endMillis = endMillis;
        this.stepMillis = stepMillis;
        this.storage = storage;
    }

    String displayName() {
        String where = kind == Kind.INSTANT ? "instant at " + startMillis / 1000.0
                : "range " + startMillis / 1000.0 + ".." + endMillis / 1000.0 + " step " + stepMillis / 1000.0;
        return file + ":" + line + " " + where + " " + query;
    }
}

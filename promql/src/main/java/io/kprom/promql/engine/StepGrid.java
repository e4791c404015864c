package io.kprom.promql.engine;

/**
 * The evaluation timestamps of one query level: {@code start, start + interval, ..., <= end}.
 * An instant query is a grid with one step. Subqueries evaluate their body on their own grid.
 */
record StepGrid(long startMillis, long endMillis, long intervalMillis) {
    StepGrid {
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("step interval must be positive, got " + intervalMillis);
        }
        if (endMillis < startMillis) {
            throw new IllegalArgumentException("end " + endMillis + " before start " + startMillis);
        }
    }

    static StepGrid instant(long timeMillis) {
        return new StepGrid(timeMillis, timeMillis, 1);
    }

    int steps() {
        return (int) ((endMillis - startMillis) / intervalMillis) + 1;
    }

    long time(int step) {
        return startMillis + step * intervalMillis;
    }
}

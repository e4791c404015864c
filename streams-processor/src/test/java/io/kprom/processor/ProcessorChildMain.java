package io.kprom.processor;

import io.kprom.processor.rules.RuleEngineGroupEvaluator;
import io.kprom.promql.engine.PromqlEngine;
import io.kprom.promql.engine.QueryOptions;

/**
 * Runs one processor instance in a child JVM for {@link ProcessorFailoverIT}, which kills it
 * with SIGKILL. Arguments: bootstrap, application id, state dir, raw topic, samples topic, metadata topic.
 */
public final class ProcessorChildMain {
    private ProcessorChildMain() {
    }

    public static void main(String[] args) throws Exception {
        ProcessorComponent component = new ProcessorComponent(ProcessorFailoverIT.settings(args[3], args[4], args[5]),
                new RuleEngineGroupEvaluator(new PromqlEngine(), QueryOptions.defaults()),
                ProcessorFailoverIT.options(args[0], args[1], args[2]));
        component.start();
        System.out.println("child processor started");
        Thread.sleep(Long.MAX_VALUE);
    }
}

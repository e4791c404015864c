package io.kprom.standalone;

import java.util.List;

/**
 * The components {@code kprom standalone} runs, in start order. This is the one place to plug a
 * component in: add its {@link ComponentFactory} here.
 */
public final class StandaloneComponents {
    private StandaloneComponents() {
    }

    public static List<ComponentFactory> all() {
        return io.kprom.standalone.wiring.PipelineComponents.all(io.kprom.standalone.wiring.PipelineComponents.Options.defaults());
    }
}

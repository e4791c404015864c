package io.kprom.standalone.wiring;

import io.kprom.common.lifecycle.Component;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;

/** A component whose HTTP routes are registered on the shared listener right after it starts. */
public final class RoutedComponent implements Component {
    private final Component delegate;
    private final Supplier<Map<String, Handler>> routes;
    private final ComponentRoutes shared;

    public RoutedComponent(Component delegate, Supplier<Map<String, Handler>> routes, ComponentRoutes shared) {
        this.delegate = delegate;
        this.routes = routes;
        this.shared = shared;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void start() throws Exception {
        delegate.start();
        shared.register(delegate.name(), routes.get());
    }

    @Override
    public boolean ready() {
        return delegate.ready();
    }

    @Override
    public void close() throws Exception {
        delegate.close();
    }

    Component delegate() {
        return delegate;
    }
}

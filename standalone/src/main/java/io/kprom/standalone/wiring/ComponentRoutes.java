package io.kprom.standalone.wiring;

import io.kprom.common.http.HttpServer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The routes of components that only know their handlers once started (scraper, sink), mounted on
 * the one shared listener before they start: requests to a path nobody registered yet get 503,
 * like Prometheus before it is ready. Exact paths win over {@code /prefix/*} ones. Thread-safe.
 */
public final class ComponentRoutes extends Handler.Abstract {
    private final Map<String, Handler> exact = new ConcurrentHashMap<>();
    private final Map<String, Handler> prefix = new ConcurrentHashMap<>();

    /** Registers a started component's routes; a path registered twice is a wiring error. */
    public void register(String component, Map<String, Handler> routes) throws Exception {
        for (Map.Entry<String, Handler> route : routes.entrySet()) {
            Handler handler = route.getValue();
            handler.setServer(getServer());
            if (!handler.isStarted()) {
                handler.start();
            }
            String path = route.getKey();
            Map<String, Handler> table = path.endsWith("/*") ? prefix : exact;
            String key = path.endsWith("/*") ? path.substring(0, path.length() - 1) : path;
            if (table.putIfAbsent(key, handler) != null) {
                throw new IllegalStateException(component + " mounts " + path + ", which another component already serves");
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        Handler handler = exact.get(path);
        if (handler == null) {
            for (Map.Entry<String, Handler> entry : prefix.entrySet()) {
                if (path.startsWith(entry.getKey())) {
                    handler = entry.getValue();
                    break;
                }
            }
        }
        if (handler == null) {
            boolean api = path.startsWith("/api/");
            HttpServer.send(response, callback, api ? 503 : 404, "application/json",
                    ("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\""
                            + (api ? "no component serves " + path + " yet" : "404 page not found") + "\"}")
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return true;
        }
        return handler.handle(request, response, callback);
    }
}

package io.kprom.standalone.wiring;

import io.kprom.common.config.ConfigException;
import io.kprom.common.config.PrometheusConfig;
import io.kprom.common.http.HttpServer;
import io.kprom.scraper.ScraperComponent;
import io.prometheus.metrics.core.metrics.Gauge;
import java.nio.file.Path;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads {@code prometheus.yml} on SIGHUP and {@code POST /-/reload}, as Prometheus does: a new
 * file that does not load is rejected and the running configuration stays; scrapes in flight
 * finish. The outcome is reported in {@code kprom_config_last_reload_successful}. Thread-safe.
 */
public final class ConfigReloader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);
    private static final Gauge LAST_RELOAD_SUCCESSFUL = Gauge.builder().name("kprom_config_last_reload_successful")
            .help("Whether the last configuration reload attempt was successful.").register();
    private static final Gauge LAST_RELOAD_SUCCESS_TIME = Gauge.builder()
            .name("kprom_config_last_reload_success_timestamp_seconds")
            .help("Timestamp of the last successful configuration reload.").register();

    private final Path file;
    private final ScraperComponent scraper;

    public ConfigReloader(Path file, ScraperComponent scraper) {
        this.file = file;
        this.scraper = scraper;
        LAST_RELOAD_SUCCESSFUL.set(1);
        LAST_RELOAD_SUCCESS_TIME.set(System.currentTimeMillis() / 1000.0);
    }

    /** Loads the file again and applies it; returns null on success, else the error. */
    public synchronized String reload() {
        try {
            PrometheusConfig config = PrometheusConfig.load(file);
            scraper.reload(config);
            LAST_RELOAD_SUCCESSFUL.set(1);
            LAST_RELOAD_SUCCESS_TIME.set(System.currentTimeMillis() / 1000.0);
            LOG.info("reloaded configuration from {}", file);
            return null;
        } catch (ConfigException e) {
            LAST_RELOAD_SUCCESSFUL.set(0);
            LOG.error("configuration reload rejected, keeping the running configuration: {}", e.getMessage());
            return e.getMessage();
        } catch (Exception e) {
            LAST_RELOAD_SUCCESSFUL.set(0);
            LOG.error("configuration reload failed, keeping the running configuration", e);
            return e.toString();
        }
    }

    /** {@code POST|PUT /-/reload}. */
    public Handler handler() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String method = request.getMethod();
                if (!method.equals("POST") && !method.equals("PUT")) {
                    HttpServer.sendText(response, callback, 405, "Only POST or PUT requests allowed\n");
                    return true;
                }
                String error = reload();
                if (error == null) {
                    HttpServer.sendText(response, callback, 200, "");
                } else {
                    HttpServer.sendText(response, callback, 500, "failed to reload config: " + error + "\n");
                }
                return true;
            }
        };
    }
}

package io.kprom.sink.api;

import io.kprom.promql.engine.QueryEngine;
import io.kprom.promql.storage.Queryable;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.server.Handler;

/**
 * Prometheus's HTTP API v1 over a {@link Queryable}, as Jetty handlers keyed by path, to mount on
 * the shared {@link io.kprom.common.http.HttpServer}.
 *
 * <pre>{@code
 * PrometheusApi api = PrometheusApi.builder()
 *     .engine(engine).storage(store.queryable()).syntax(syntax)
 *     .metadata(metadataConsumer).tsdb(admin).status(info)
 *     .limits(QueryLimits.defaults()).adminEnabled(false)
 *     .build();
 * api.routes().forEach(httpServerBuilder::route);
 * }</pre>
 *
 * Thread-safe; the handlers share one query concurrency gate.
 */
public final class PrometheusApi {
    private final Map<String, Handler> routes;

    private PrometheusApi(Builder builder) {
        QueryApi query = new QueryApi(builder.engine, builder.storage, builder.limits, builder.clock);
        SeriesApi series = new SeriesApi(builder.storage, builder.syntax);
        MetadataApi metadata = new MetadataApi(builder.metadata, builder.syntax);
        StatusApi status = new StatusApi(builder.status, builder.tsdb, builder.syntax, builder.adminEnabled);
        Map<String, Handler> map = new LinkedHashMap<>();
        map.put("/api/v1/query", query.instantEndpoint());
        map.put("/api/v1/query_range", query.rangeEndpoint());
        map.put("/api/v1/series", series.seriesEndpoint());
        map.put("/api/v1/labels", series.labelsEndpoint());
        map.put("/api/v1/label/*", series.labelValuesEndpoint());
        map.put("/api/v1/metadata", metadata.metadataEndpoint());
        map.put("/api/v1/query_exemplars", metadata.exemplarsEndpoint());
        map.put("/api/v1/format_query", status.formatQueryEndpoint());
        map.put("/api/v1/status/buildinfo", status.buildInfoEndpoint());
        map.put("/api/v1/status/runtimeinfo", status.runtimeInfoEndpoint());
        map.put("/api/v1/status/flags", status.flagsEndpoint());
        map.put("/api/v1/status/config", status.configEndpoint());
        map.put("/api/v1/status/tsdb", status.tsdbEndpoint());
        map.put("/api/v1/admin/tsdb/delete_series", status.deleteSeriesEndpoint());
        map.put("/api/v1/admin/tsdb/clean_tombstones", status.cleanTombstonesEndpoint());
        map.put("/api/v1/admin/tsdb/snapshot", status.snapshotEndpoint());
        routes = Map.copyOf(map);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Path to handler; a path ending in {@code /*} matches by prefix (HttpServer's convention). */
    public Map<String, Handler> routes() {
        return routes;
    }

    /** Builder; every dependency is required except limits, admin flag and clock. Not thread-safe. */
    public static final class Builder {
        private QueryEngine engine;
        private Queryable storage;
        private PromqlSyntax syntax;
        private MetricMetadataSource metadata;
        private TsdbAdmin tsdb;
        private StatusInfo status;
        private QueryLimits limits = QueryLimits.defaults();
        private boolean adminEnabled;
        private Clock clock = Clock.systemUTC();

        public Builder engine(QueryEngine engine) {
            this.engine = engine;
            return this;
        }

        public Builder storage(Queryable storage) {
            this.storage = storage;
            return this;
        }

        public Builder syntax(PromqlSyntax syntax) {
            this.syntax = syntax;
            return this;
        }

        public Builder metadata(MetricMetadataSource metadata) {
            this.metadata = metadata;
            return this;
        }

        public Builder tsdb(TsdbAdmin tsdb) {
            this.tsdb = tsdb;
            return this;
        }

        public Builder status(StatusInfo status) {
            this.status = status;
            return this;
        }

        public Builder limits(QueryLimits limits) {
            this.limits = limits;
            return this;
        }

        public Builder adminEnabled(boolean adminEnabled) {
            this.adminEnabled = adminEnabled;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public PrometheusApi build() {
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(storage, "storage");
            Objects.requireNonNull(syntax, "syntax");
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(tsdb, "tsdb");
            Objects.requireNonNull(status, "status");
            return new PrometheusApi(this);
        }
    }
}

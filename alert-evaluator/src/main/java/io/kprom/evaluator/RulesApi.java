package io.kprom.evaluator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kprom.common.http.HttpServer;
import io.kprom.common.labels.Labels;
import io.kprom.promql.rules.Alert;
import io.kprom.promql.rules.AlertingRule;
import io.kprom.promql.rules.RecordingRule;
import io.kprom.promql.rules.Rule;
import io.kprom.promql.rules.RuleGroup;
import io.kprom.promql.rules.template.GoFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code /api/v1/rules} and {@code /api/v1/alerts} in Prometheus's JSON shapes (Grafana reads them).
 * {@code /api/v1/rules} supports {@code type=alert|record}, {@code rule_name[]}, {@code rule_group[]},
 * {@code file[]} and {@code exclude_alerts}. Thread-safe: reads rule status snapshots.
 */
final class RulesApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private RulesApi() {
    }

    static Handler rulesHandler(Supplier<List<RuleGroup>> groups) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Fields params = Request.extractQueryParameters(request);
                String type = params.getValue("type");
                if (type != null && !type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
                    error(response, callback, "invalid query parameter type='" + type + "'");
                    return true;
                }
                List<String> names = params.getValues("rule_name[]");
                List<String> groupNames = params.getValues("rule_group[]");
                List<String> files = params.getValues("file[]");
                boolean excludeAlerts = "true".equals(params.getValue("exclude_alerts"));
                ObjectNode data = JSON.createObjectNode();
                ArrayNode groupArray = data.putArray("groups");
                for (RuleGroup group : groups.get()) {
                    if (!empty(groupNames) && !groupNames.contains(group.name())
                            || !empty(files) && !files.contains(group.file())) {
                        continue;
                    }
                    ObjectNode groupNode = JSON.createObjectNode();
                    groupNode.put("name", group.name());
                    groupNode.put("file", group.file());
                    ArrayNode rules = groupNode.putArray("rules");
                    for (Rule rule : group.rules()) {
                        boolean alerting = rule instanceof AlertingRule;
                        if ("alert".equals(type) && !alerting || "record".equals(type) && alerting
                                || !empty(names) && !names.contains(rule.name())) {
                            continue;
                        }
                        rules.add(rule(rule, excludeAlerts));
                    }
                    if (rules.isEmpty() && (type != null || !empty(names))) {
                        continue;
                    }
                    groupNode.put("interval", group.intervalMillis() / 1000.0);
                    groupNode.put("limit", group.limit());
                    groupNode.put("evaluationTime", group.evaluationDurationNanos() / 1e9);
                    groupNode.put("lastEvaluation", time(group.lastEvaluationMillis()));
                    groupArray.add(groupNode);
                }
                success(response, callback, data);
                return true;
            }
        };
    }

    static Handler alertsHandler(Supplier<List<RuleGroup>> groups) {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ObjectNode data = JSON.createObjectNode();
                ArrayNode alerts = data.putArray("alerts");
                for (RuleGroup group : groups.get()) {
                    for (AlertingRule rule : group.alertingRules()) {
                        for (Alert alert : rule.activeAlerts()) {
                            alerts.add(alert(alert));
                        }
                    }
                }
                success(response, callback, data);
                return true;
            }
        };
    }

    private static ObjectNode rule(Rule rule, boolean excludeAlerts) {
        ObjectNode node = JSON.createObjectNode();
        if (rule instanceof AlertingRule alerting) {
            node.put("state", alerting.state().apiName());
            node.put("name", rule.name());
            node.put("query", rule.spec().expr());
            node.put("duration", alerting.holdMillis() / 1000.0);
            node.put("keepFiringFor", alerting.keepFiringForMillis() / 1000.0);
            node.set("labels", labels(rule.spec().labels()));
            node.set("annotations", JSON.valueToTree(new java.util.TreeMap<>(alerting.spec().annotations())));
            if (!excludeAlerts) {
                ArrayNode alerts = node.putArray("alerts");
                for (Alert alert : alerting.activeAlerts()) {
                    alerts.add(alert(alert));
                }
            }
            node.put("type", "alerting");
        } else {
            RecordingRule recording = (RecordingRule) rule;
            node.put("name", recording.name());
            node.put("query", recording.spec().expr());
            node.set("labels", labels(recording.spec().labels()));
            node.put("type", "recording");
        }
        node.put("health", rule.health().apiName());
        if (rule.lastError() != null) {
            node.put("lastError", rule.lastError());
        }
        node.put("evaluationTime", rule.evaluationDurationNanos() / 1e9);
        node.put("lastEvaluation", time(rule.lastEvaluationMillis()));
        return node;
    }

    static ObjectNode alert(Alert alert) {
        ObjectNode node = JSON.createObjectNode();
        node.set("labels", labels(alert.labels()));
        node.set("annotations", JSON.valueToTree(new java.util.TreeMap<>(alert.annotations())));
        node.put("state", alert.state().apiName());
        node.put("activeAt", time(alert.activeAtMillis()));
        if (alert.keepFiringSinceMillis() != 0) {
            node.put("keepFiringSince", time(alert.keepFiringSinceMillis()));
        }
        node.put("value", GoFormat.formatFloat(alert.value(), 'e', -1));
        return node;
    }

    private static ObjectNode labels(Labels labels) {
        ObjectNode node = JSON.createObjectNode();
        labels.forEach(node::put);
        return node;
    }

    private static String time(long millis) {
        return millis == 0 ? ZERO_TIME : Instant.ofEpochMilli(millis).toString();
    }

    private static boolean empty(List<String> values) {
        return values == null || values.isEmpty();
    }

    private static void success(Response response, Callback callback, ObjectNode data) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "success");
        root.set("data", data);
        HttpServer.send(response, callback, 200, "application/json", root.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void error(Response response, Callback callback, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.put("status", "error");
        root.put("errorType", "bad_data");
        root.put("error", message);
        HttpServer.send(response, callback, 400, "application/json", root.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Handler> routes(Supplier<List<RuleGroup>> groups) {
        return Map.of("/api/v1/rules", rulesHandler(groups), "/api/v1/alerts", alertsHandler(groups));
    }
}

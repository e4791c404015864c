package io.kprom.promql.rules;

/** Health of a rule after its last evaluation, named as in Prometheus's API. */
public enum RuleHealth {
    UNKNOWN("unknown"), OK("ok"), ERR("err");

    private final String apiName;

    RuleHealth(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }
}

package io.kprom.promql.rules.template;

/**
 * A template that does not parse or fails while executing; the message reads like Go's
 * text/template errors, e.g. {@code template: __alert_High:1: function "humanise" not defined}.
 */
public class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message);
    }
}

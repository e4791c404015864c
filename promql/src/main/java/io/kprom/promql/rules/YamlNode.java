package io.kprom.promql.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line and column of every node, so rule-file
 * errors can point at the offending line like promtool does. Immutable once built.
 */
sealed interface YamlNode {
    int line();

    int column();

    record Scalar(String text, boolean isNull, int line, int column) implements YamlNode {
    }

    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
    }

    /** Keys keep their own positions so "field not found" errors can name the key's line. */
    record Mapping(Map<String, YamlNode> entries, Map<String, Integer> keyLines, int line, int column)
            implements YamlNode {
        YamlNode get(String key) {
            return entries.get(key);
        }
    }

    YAMLFactory FACTORY = new YAMLFactory();

    /** Parses one document; null for an empty document. */
    static YamlNode parse(String text) throws IOException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            return read(parser, token);
        }
    }

    private static YamlNode read(JsonParser parser, JsonToken token) throws IOException {
        JsonLocation location = parser.currentTokenLocation();
        int line = location.getLineNr();
        int column = location.getColumnNr();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = parser.currentTokenLocation().getLineNr();
                    YamlNode value = read(parser, parser.nextToken());
                    if (entries.containsKey(key)) {
                        throw new IOException("line " + keyLine + ": mapping key \"" + key + "\" already defined");
                    }
                    entries.put(key, value);
                    keyLines.put(key, keyLine);
                }
                if (next != JsonToken.END_OBJECT) {
                    throw new IOException("line " + line + ": malformed mapping");
                }
                return new Mapping(entries, keyLines, line, column);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (next == null) {
                        throw new IOException("line " + line + ": unterminated sequence");
                    }
                    items.add(read(parser, next));
                }
                return new Sequence(items, line, column);
            }
            case VALUE_NULL -> {
                return new Scalar("", true, line, column);
            }
            default -> {
                return new Scalar(parser.getText(), false, line, column);
            }
        }
    }
}

package io.kprom.scraper.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Renders a parser's entries as one line each so tests can compare whole tables. */
final class ParserTestSupport {
    private ParserTestSupport() {
    }

    static List<String> render(ExpositionFormat format, String body) throws ExpositionFormatException {
        return render(format, body.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> render(ExpositionFormat format, byte[] bytes) throws ExpositionFormatException {
        ExpositionParser parser = format.parser(bytes, bytes.length, new StringTable());
        List<String> out = new ArrayList<>();
        for (ExpositionParser.Entry e = parser.next(); e != null; e = parser.next()) {
            switch (e) {
                case HELP -> out.add("HELP " + parser.familyName() + " " + parser.help());
                case TYPE -> out.add("TYPE " + parser.familyName() + " " + parser.type());
                case UNIT -> out.add("UNIT " + parser.familyName() + " " + parser.unit());
                case COMMENT -> out.add("COMMENT");
                case SERIES -> {
                    StringBuilder sb = new StringBuilder(parser.metricName()).append('{');
                    for (int i = 0; i < parser.labelCount(); i++) {
                        sb.append(i > 0 ? "," : "").append(parser.labelName(i)).append('=').append(parser.labelValue(i));
                    }
                    sb.append("} ").append(parser.value());
                    if (parser.hasTimestamp()) {
                        sb.append(" @").append(parser.timestampMillis());
                    }
                    if (parser.hasExemplar()) {
                        sb.append(" # {");
                        for (int i = 0; i < parser.exemplarLabelCount(); i++) {
                            sb.append(i > 0 ? "," : "").append(parser.exemplarLabelName(i)).append('=')
                                    .append(parser.exemplarLabelValue(i));
                        }
                        sb.append("} ").append(parser.exemplarValue());
                        if (parser.exemplarHasTimestamp()) {
                            sb.append(" @").append(parser.exemplarTimestampMillis());
                        }
                    }
                    out.add(sb.toString());
                }
                default -> throw new IllegalStateException(e.toString());
            }
        }
        return out;
    }
}

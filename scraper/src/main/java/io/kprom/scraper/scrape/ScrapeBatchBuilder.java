package io.kprom.scraper.scrape;

import io.kprom.schemas.avro.BatchSource;
import io.kprom.schemas.avro.Exemplar;
import io.kprom.schemas.avro.MetricMetadata;
import io.kprom.schemas.avro.MetricType;
import io.kprom.schemas.avro.RawSeries;
import io.kprom.schemas.avro.ScrapeBatch;
import io.kprom.schemas.avro.ScrapeOutcome;
import io.kprom.schemas.avro.ScrapeTarget;
import io.kprom.scraper.parse.ExpositionFormat;
import io.kprom.scraper.parse.ExpositionFormatException;
import io.kprom.scraper.parse.ExpositionParser;
import io.kprom.scraper.parse.StringTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one scrape body into a {@link ScrapeBatch}: one {@code RawSeries} per sample line with labels
 * sorted by name (empty values dropped, as Prometheus), explicit timestamps kept and flagged, exemplars
 * carried, metadata per family, and OpenMetrics {@code _created} values also attached as
 * {@code createdTimestampMillis} to the family's other series with the same labels. A malformed body
 * yields a failed outcome with the parser's message and no series. One builder per target (it keeps
 * the target's {@link StringTable}); not thread-safe.
 */
public final class ScrapeBatchBuilder {
    private final StringTable strings = new StringTable();
    private int[] order = new int[16];

    /** A failed scrape: outcome only. */
    public static ScrapeBatch failure(ScrapeTarget target, long timestampMillis, String error, double durationSeconds,
            long bodyBytes, String contentType) {
        return new ScrapeBatch(BatchSource.SCRAPE, target, timestampMillis,
                new ScrapeOutcome(false, error, durationSeconds, bodyBytes, contentType == null ? "" : contentType),
                new ArrayList<>(), new ArrayList<>());
    }

    /** Parses the body; parse errors become a failed outcome (never thrown). */
    public ScrapeBatch build(ScrapeTarget target, long timestampMillis, ScrapeResponse response, ExpositionFormat format,
            double durationSeconds) {
        List<RawSeries> series = new ArrayList<>();
        Map<String, MetricMetadata> metadata = new LinkedHashMap<>();
        try {
            parse(format.parser(response.body(), response.length(), strings), timestampMillis, series, metadata);
        } catch (ExpositionFormatException e) {
            return failure(target, timestampMillis, e.getMessage(), durationSeconds, response.length(),
                    response.contentType());
        }
        return new ScrapeBatch(BatchSource.SCRAPE, target, timestampMillis,
                new ScrapeOutcome(true, null, durationSeconds, (long) response.length(), response.contentType()),
                series, new ArrayList<>(metadata.values()));
    }

    /** Parses every entry into series and metadata (exposed for benchmarks and tests). */
    public void parse(ExpositionParser parser, long defaultTimestampMillis, List<RawSeries> series,
            Map<String, MetricMetadata> metadata) throws ExpositionFormatException {
        String family = null;
        MetricType familyType = MetricType.UNKNOWN;
        Map<String, Long> created = null;
        for (ExpositionParser.Entry entry = parser.next(); entry != null; entry = parser.next()) {
            switch (entry) {
                case HELP -> metadataFor(metadata, parser.familyName()).setHelp(parser.help());
                case UNIT -> metadataFor(metadata, parser.familyName()).setUnit(parser.unit());
                case TYPE -> {
                    metadataFor(metadata, parser.familyName()).setType(parser.type());
                    family = parser.familyName();
                    familyType = parser.type();
                }
                case SERIES -> {
                    RawSeries raw = series(parser, defaultTimestampMillis);
                    String name = parser.metricName();
                    if (family != null && hasCreated(familyType) && name.length() == family.length() + 8
                            && name.startsWith(family) && name.endsWith("_created")) {
                        if (created == null) {
                            created = new HashMap<>();
                        }
                        created.put(family + labelKey(raw.getLabels()), (long) (parser.value() * 1000));
                    }
                    series.add(raw);
                }
                default -> {
                }
            }
        }
        if (created != null) {
            attachCreated(series, created);
        }
    }

    private static boolean hasCreated(MetricType type) {
        return type == MetricType.COUNTER || type == MetricType.HISTOGRAM || type == MetricType.SUMMARY
                || type == MetricType.GAUGEHISTOGRAM;
    }

    /** Labels without __name__, le and quantile, as a map key. */
    private static String labelKey(List<String> labels) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < labels.size(); i += 2) {
            String name = labels.get(i);
            if (!name.equals("__name__") && !name.equals("le") && !name.equals("quantile")) {
                sb.append('\u0000').append(name).append('\u0001').append(labels.get(i + 1));
            }
        }
        return sb.toString();
    }

    private static void attachCreated(List<RawSeries> series, Map<String, Long> created) {
        for (RawSeries raw : series) {
            String name = metricName(raw.getLabels());
            if (name == null || name.endsWith("_created")) {
                continue;
            }
            String key = labelKey(raw.getLabels());
            for (String suffix : new String[] {"_total", "_count", "_sum", "_bucket", ""}) {
                if (name.endsWith(suffix)) {
                    Long value = created.get(name.substring(0, name.length() - suffix.length()) + key);
                    if (value != null) {
                        raw.setCreatedTimestampMillis(value);
                        break;
                    }
                }
            }
        }
    }

    private static String metricName(List<String> labels) {
        for (int i = 0; i < labels.size(); i += 2) {
            if (labels.get(i).equals("__name__")) {
                return labels.get(i + 1);
            }
        }
        return null;
    }

    private static MetricMetadata metadataFor(Map<String, MetricMetadata> metadata, String family) {
        return metadata.computeIfAbsent(family, f -> new MetricMetadata(f, MetricType.UNKNOWN, "", ""));
    }

    private RawSeries series(ExpositionParser parser, long defaultTimestampMillis) {
        int count = parser.labelCount();
        if (order.length < count) {
            order = new int[count * 2];
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (!parser.labelValue(i).isEmpty()) {
                order[kept++] = i;
            }
        }
        // Insertion sort by label name: label sets are short and usually already sorted.
        for (int i = 1; i < kept; i++) {
            int current = order[i];
            String name = parser.labelName(current);
            int j = i - 1;
            while (j >= 0 && parser.labelName(order[j]).compareTo(name) > 0) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = current;
        }
        String[] labels = new String[(kept + 1) * 2];
        int out = 0;
        boolean nameWritten = false;
        for (int k = 0; k < kept; k++) {
            String name = parser.labelName(order[k]);
            if (!nameWritten && name.compareTo("__name__") > 0) {
                labels[out++] = "__name__";
                labels[out++] = parser.metricName();
                nameWritten = true;
            }
            labels[out++] = name;
            labels[out++] = parser.labelValue(order[k]);
        }
        if (!nameWritten) {
            labels[out++] = "__name__";
            labels[out++] = parser.metricName();
        }
        List<Exemplar> exemplars = null;
        if (parser.hasExemplar()) {
            String[] exemplarLabels = new String[parser.exemplarLabelCount() * 2];
            for (int i = 0; i < parser.exemplarLabelCount(); i++) {
                exemplarLabels[2 * i] = parser.exemplarLabelName(i);
                exemplarLabels[2 * i + 1] = parser.exemplarLabelValue(i);
            }
            exemplars = new ArrayList<>(1);
            exemplars.add(new Exemplar(Arrays.asList(exemplarLabels), parser.exemplarValue(),
                    parser.exemplarHasTimestamp() ? parser.exemplarTimestampMillis() : null));
        }
        boolean explicit = parser.hasTimestamp();
        return new RawSeries(Arrays.asList(labels), List.of(explicit ? parser.timestampMillis() : defaultTimestampMillis),
                List.of(parser.value()), explicit, null, exemplars, null);
    }
}

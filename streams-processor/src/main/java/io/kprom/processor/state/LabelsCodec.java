package io.kprom.processor.state;

import io.kprom.common.labels.Labels;

/** Encodes a label set as a count plus alternating UTF-8 names and values (the stores' value format). */
public final class LabelsCodec {
    private LabelsCodec() {
    }

    public static byte[] encode(Labels labels) {
        BinaryWriter writer = new BinaryWriter(16 * labels.size() + 8);
        write(writer, labels);
        return writer.toByteArray();
    }

    public static void write(BinaryWriter writer, Labels labels) {
        writer.writeStrings(labels.toArray());
    }

    public static Labels decode(byte[] bytes) {
        return read(new BinaryReader(bytes));
    }

    public static Labels read(BinaryReader reader) {
        return Labels.fromSortedArray(reader.readStrings());
    }
}

package io.kprom.sink.storage;

import io.kprom.common.labels.Labels;
import io.kprom.sink.storage.chunk.Varints;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Series CF value: uvarint label count, then per label uvarint length + UTF-8 name, same for value. */
final class LabelsCodec {
    private LabelsCodec() {
    }

    static byte[] encode(Labels labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        Varints.writeUnsigned(out, labels.size());
        for (int i = 0; i < labels.size(); i++) {
            writeString(out, labels.name(i));
            writeString(out, labels.value(i));
        }
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        Varints.writeUnsigned(out, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    static Labels decode(byte[] bytes) {
        Varints.Reader reader = new Varints.Reader(bytes, 0);
        int count = (int) reader.readUnsigned();
        String[] namesAndValues = new String[count * 2];
        for (int i = 0; i < namesAndValues.length; i++) {
            int length = (int) reader.readUnsigned();
            namesAndValues[i] = new String(reader.readBytes(length), StandardCharsets.UTF_8);
        }
        return Labels.fromSortedArray(namesAndValues);
    }
}

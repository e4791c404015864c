package io.kprom.scraper.parse;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns UTF-8 byte ranges as {@code String}s so that names and label values repeated across lines
 * and scrapes resolve without allocating. Keep one table per target (or per parser thread) across
 * scrapes; it empties itself when it grows past its limit. Not thread-safe.
 */
public final class StringTable {
    private final int maxEntries;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[][] keys;
    private String[] values;
    private int[] hashes;
    private int size;

    public StringTable() {
        this(1 << 16);
    }

    public StringTable(int maxEntries) {
        this.maxEntries = maxEntries;
        allocate(256);
    }

    private void allocate(int capacity) {
        keys = new byte[capacity][];
        values = new String[capacity];
        hashes = new int[capacity];
        size = 0;
    }

    /** Number of interned strings. */
    public int size() {
        return size;
    }

    /** The string for {@code bytes[start, end)}, or null when the bytes are not valid UTF-8. */
    public String get(byte[] bytes, int start, int end) {
        int hash = 1;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + bytes[i];
        }
        int mask = keys.length - 1;
        int slot = mix(hash) & mask;
        int length = end - start;
        while (true) {
            byte[] key = keys[slot];
            if (key == null) {
                break;
            }
            if (hashes[slot] == hash && key.length == length
                    && Arrays.equals(key, 0, length, bytes, start, end)) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        String decoded = decode(bytes, start, end);
        if (decoded == null) {
            return null;
        }
        if (size >= maxEntries) {
            allocate(keys.length);
            slot = mix(hash) & (keys.length - 1);
        } else if ((size + 1) * 2 > keys.length) {
            grow();
            slot = mix(hash) & (keys.length - 1);
            while (keys[slot] != null) {
                slot = (slot + 1) & (keys.length - 1);
            }
        }
        keys[slot] = Arrays.copyOfRange(bytes, start, end);
        values[slot] = decoded;
        hashes[slot] = hash;
        size++;
        return decoded;
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        int[] oldHashes = hashes;
        int oldSize = size;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                int slot = mix(oldHashes[i]) & mask;
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
                hashes[slot] = oldHashes[i];
            }
        }
        size = oldSize;
    }

    private static int mix(int hash) {
        int h = hash * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private String decode(byte[] bytes, int start, int end) {
        boolean ascii = true;
        for (int i = start; i < end; i++) {
            if (bytes[i] < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(bytes, start, end - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

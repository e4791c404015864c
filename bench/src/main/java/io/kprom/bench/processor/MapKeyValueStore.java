package io.kprom.bench.processor;

import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A sorted in-memory {@link KeyValueStore} for the direct benchmark driver (no changelog, no
 * RocksDB). Keys must be {@link Comparable} in the order the real store's serialized bytes sort.
 * Not thread-safe.
 */
final class MapKeyValueStore<K extends Comparable<K>, V> implements KeyValueStore<K, V> {
    private final String name;
    private final NavigableMap<K, V> map = new TreeMap<>(Comparator.naturalOrder());

    MapKeyValueStore(String name) {
        this.name = name;
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            map.remove(key);
        } else {
            map.put(key, value);
        }
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return map.putIfAbsent(key, value);
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public V delete(K key) {
        return map.remove(key);
    }

    @Override
    public V get(K key) {
        return map.get(key);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return iterator(map.subMap(from, true, to, true).entrySet().iterator());
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return iterator(new TreeMap<>(map).entrySet().iterator());
    }

    @Override
    public long approximateNumEntries() {
        return map.size();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        // Nothing to restore.
    }

    @Override
    public void close() {
        map.clear();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    private KeyValueIterator<K, V> iterator(Iterator<Map.Entry<K, V>> entries) {
        // Copy so callers may delete while iterating, as RocksDB snapshots allow.
        List<Map.Entry<K, V>> copy = new java.util.ArrayList<>();
        entries.forEachRemaining(entry -> copy.add(Map.entry(entry.getKey(), entry.getValue())));
        Iterator<Map.Entry<K, V>> iterator = copy.iterator();
        return new KeyValueIterator<>() {
            private Map.Entry<K, V> peeked;

            @Override
            public boolean hasNext() {
                return peeked != null || iterator.hasNext();
            }

            @Override
            public KeyValue<K, V> next() {
                Map.Entry<K, V> entry = peeked != null ? peeked : iterator.next();
                peeked = null;
                return KeyValue.pair(entry.getKey(), entry.getValue());
            }

            @Override
            public K peekNextKey() {
                if (peeked == null) {
                    peeked = iterator.next();
                }
                return peeked.getKey();
            }

            @Override
            public void close() {
                // Nothing held.
            }
        };
    }
}

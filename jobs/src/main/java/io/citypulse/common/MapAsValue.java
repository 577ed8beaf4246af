package io.citypulse.common;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed {@link MapState} seen as a {@link ValueState} of the whole map, so a {@link
 * WriteBackCache} can stand in front of it: {@code value()} is the current key's entries in a new
 * {@link HashMap} (null when there are none), {@code update} replaces them all (an empty map or
 * null clears them). The map's values are the state's own objects on a heap backend: a cache copies
 * them on the way in and out ({@link WriteBackCache#decoding}).
 */
public final class MapAsValue<K, V> implements ValueState<Map<K, V>> {

    private final MapState<K, V> map;

    public MapAsValue(MapState<K, V> map) {
        this.map = map;
    }

    @Override
    public Map<K, V> value() throws IOException {
        try {
            Map<K, V> all = new HashMap<>();
            for (Map.Entry<K, V> e : map.entries()) {
                all.put(e.getKey(), e.getValue());
            }
            return all.isEmpty() ? null : all;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("reading map state", e);
        }
    }

    @Override
    public void update(Map<K, V> value) throws IOException {
        map.clear();
        if (value == null || value.isEmpty()) {
            return;
        }
        try {
            map.putAll(value);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("writing map state", e);
        }
    }

    @Override
    public void clear() {
        map.clear();
    }
}

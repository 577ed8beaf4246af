package io.citypulse.common;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ValueState;

/**
 * A keyed {@link ListState} seen as a {@link ValueState} of the whole list, so a {@link
 * WriteBackCache} can stand in front of it: {@code value()} is the current key's elements (null
 * when there are none), {@code update} replaces them all (an empty list or null clears them).
 */
public final class ListAsValue<T> implements ValueState<List<T>> {

    private final ListState<T> list;

    public ListAsValue(ListState<T> list) {
        this.list = list;
    }

    @Override
    public List<T> value() throws IOException {
        try {
            Iterable<T> elements = list.get();
            if (elements == null) {
                return null;
            }
            List<T> all = new ArrayList<>();
            elements.forEach(all::add);
            return all.isEmpty() ? null : all;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("reading list state", e);
        }
    }

    @Override
    public void update(List<T> value) throws IOException {
        if (value == null || value.isEmpty()) {
            list.clear();
            return;
        }
        try {
            list.update(value);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("writing list state", e);
        }
    }

    @Override
    public void clear() {
        list.clear();
    }
}

package io.citypulse.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyContext;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CachedValueState} behind a caching operator on the heap backend and on RocksDB: the values
 * are copied only where the backend holds the objects themselves (the heap), and either way what a
 * snapshot holds, and what a restored job reads, is every update made before it and nothing made
 * after it.
 */
class CachedValueStateTest {

    /** Counts per key in a {@code long[1]} changed in place, as the gate and the SLA machine do. */
    static final class Counting extends KeyedProcessFunction<String, String, String>
            implements StateCaching {
        private static final long serialVersionUID = 1L;

        transient CachedValueState<long[]> count;
        transient int copies;

        @Override
        public void open(OpenContext openContext) {
            count =
                    new CachedValueState<>(
                            getRuntimeContext()
                                    .getState(
                                            new ValueStateDescriptor<>(
                                                    "count",
                                                    PrimitiveArrayTypeInfo
                                                            .LONG_PRIMITIVE_ARRAY_TYPE_INFO)));
        }

        @Override
        public void cacheState(KeyContext keys, int maxKeys) {
            count.cache(
                    keys,
                    maxKeys,
                    v -> {
                        copies++;
                        return v.clone();
                    });
        }

        @Override
        public void flush() throws IOException {
            count.flush();
        }

        @Override
        public void processElement(String key, Context ctx, Collector<String> out)
                throws IOException {
            long[] v = count.value();
            if (v == null) {
                v = new long[1];
            }
            v[0]++;
            count.update(v);
            out.collect(key + "=" + v[0]);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
            String backend, Counting function) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new CachingKeyedProcessOperator<>(function, 10), k -> k, Types.STRING);
        if (backend.equals("rocksdb")) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void shouldCopyOnlyForTheHeapAndSnapshotExactlyTheUpdatesBeforeIt(String backend)
            throws Exception {
        Counting function = new Counting();
        OperatorSubtaskState snapshot;
        try (var h = harness(backend, function)) {
            h.open();
            assertThat(WriteBackCache.serialisesValues((KeyContext) h.getOperator()))
                    .isEqualTo(backend.equals("rocksdb"));
            h.processElement("a", 1);
            h.processElement("a", 2);
            h.processElement("b", 3);
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 10);
            // after the snapshot: on the heap this changes the very object the cache holds
            h.processElement("a", 4);
            assertThat(h.extractOutputValues()).containsExactly("a=1", "a=2", "b=1", "a=3");
            if (backend.equals("heap")) {
                // a, then b read from nothing; both written back copied at the barrier
                assertThat(function.copies).isEqualTo(2);
            } else {
                assertThat(function.copies).as("RocksDB serialises: no copies").isZero();
            }
        }
        Counting restored = new Counting();
        try (var h = harness(backend, restored)) {
            h.initializeState(snapshot);
            h.open();
            h.processElement("a", 5);
            h.processElement("b", 6);
            assertThat(h.extractOutputValues())
                    .as("the snapshot holds a=2, b=1: not the update made after it")
                    .containsExactly("a=3", "b=2");
        }
    }
}

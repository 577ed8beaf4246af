package io.citypulse.bench;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;

/** The embedded RocksDB backend for an operator harness in a benchmark. */
final class RocksDbBackend {

    private RocksDbBackend() {}

    /**
     * RocksDB with its own memory defaults: the harness has almost no managed memory, which would
     * make RocksDB flush its memtable constantly.
     */
    static EmbeddedRocksDBStateBackend withOwnMemory() {
        Configuration conf = new Configuration();
        conf.setString("state.backend.rocksdb.memory.managed", "false");
        return new EmbeddedRocksDBStateBackend()
                .configure(conf, RocksDbBackend.class.getClassLoader());
    }
}

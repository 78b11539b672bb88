package io.avisstream.avis.topology.runtime;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * All RocksDB stores of this JVM share one block cache and one write-buffer budget (counted in that cache), so
 * native memory is bounded however many tasks and stores this instance owns. Kafka Streams' default is a 50 MiB
 * cache and 3 x 16 MiB memtables per store: 6 stores x 6 tasks could take several GiB off-heap, beyond the heap
 * limit and invisible to it. Total: {@link #TOTAL_BYTES}, of which memtables at most {@link #WRITE_BUFFER_BYTES}.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {
    /** Block cache + memtables of all stores of this JVM. */
    static final long TOTAL_BYTES = 128L << 20;
    /** Memtables of all stores, counted inside {@link #TOTAL_BYTES}. */
    static final long WRITE_BUFFER_BYTES = 48L << 20;

    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(WRITE_BUFFER_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(8L << 20);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // CACHE and WRITE_BUFFERS are shared by every store of the JVM: never closed per store.
    }
}

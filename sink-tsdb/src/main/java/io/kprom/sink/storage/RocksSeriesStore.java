package io.kprom.sink.storage;

import io.kprom.common.labels.LabelMatcher;
import io.kprom.common.labels.Labels;
import io.kprom.promql.storage.Queryable;
import io.kprom.sink.storage.chunk.ChunkDecoder;
import io.kprom.sink.storage.chunk.Chunks;
import io.kprom.sink.storage.chunk.XorChunkEncoder;
import io.kprom.sink.storage.index.PostingsIndex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.roaringbitmap.RoaringBitmap;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RocksDB implementation of {@link SeriesStore}. Column families: {@code default} (offsets,
 * block series sets, tombstones, time range), {@code series} (id -> labels), {@code chunks}
 * (time-partitioned chunk keys). The postings index and the head live in memory; the index is rebuilt
 * from the series column family at open. See {@code docs/format.md}.
 */
final class RocksSeriesStore implements SeriesStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksSeriesStore.class);
    private static final byte[] TIME_RANGE_KEY = {KeyLayout.META_TIME_RANGE};
    private static final byte[] VERSION_KEY = {KeyLayout.META_VERSION};
    /** RocksDB's default is 8 MiB, which a dashboard over a few thousand series already overflows. */
    static final long BLOCK_CACHE_BYTES = 128L << 20;

    static {
        RocksDB.loadLibrary();
    }

    final StoreOptions options;
    final long blockMillis;
    private final long outOfOrderWindowMillis;
    private final long retentionMillis;
    private final long headChunkRetentionMillis;
    private final Path directory;
    private final DBOptions dbOptions;
    /** One block cache for all column families: uncompressed SST blocks, so repeated queries skip decompression. */
    private final LRUCache blockCache = new LRUCache(BLOCK_CACHE_BYTES);
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    final RocksDB db;
    final ColumnFamilyHandle metaCf;
    final ColumnFamilyHandle seriesCf;
    final ColumnFamilyHandle chunksCf;
    final WriteOptions writeOptions = new WriteOptions();

    final PostingsIndex index = new PostingsIndex();
    private final ConcurrentHashMap<Labels, MemSeries> seriesByLabels = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Integer, MemSeries> seriesById = new ConcurrentHashMap<>();
    /** Block start -> ids of series with data in the block; guarded by its own monitor. */
    private final TreeMap<Long, RoaringBitmap> blocks = new TreeMap<>();
    private final java.util.Set<Long> dirtyBlocks = new java.util.HashSet<>();
    final ConcurrentHashMap<Integer, long[]> tombstones = new ConcurrentHashMap<>();

    /** Held by the writer from its first append until commit; admin operations take it too. */
    private final ReentrantLock writeLock = new ReentrantLock(true); // fair: retention and admin calls get their turn between batches
    private final List<MemSeries> newSeries = new ArrayList<>();
    private final List<MemSeries> dirtySeries = new ArrayList<>();
    private final Map<SourcePartition, Long> pendingOffsets = new HashMap<>();
    private final ConcurrentHashMap<SourcePartition, Long> durableOffsets = new ConcurrentHashMap<>();
    private int nextSeriesId;
    private long samplesSinceFlush;
    private long lastFlushNanos = System.nanoTime();
    private long outOfOrderSequence = System.currentTimeMillis() * 1000;
    /** Incremented after each flush's write and before the head drops what it wrote; readers refresh on change. */
    volatile long flushGeneration;

    private volatile long minTime = Long.MAX_VALUE;
    private volatile long maxTime = Long.MIN_VALUE;
    /**
     * Out-of-order chunks written before this open (by any earlier process) hold samples no newer than
     * this: queries reaching back this far read the disk for them. {@code Long.MIN_VALUE} for a new store.
     */
    long outOfOrderUnknownUntil = Long.MIN_VALUE;
    private final Map<RejectReason, AtomicLong> rejected = new EnumMap<>(RejectReason.class);
    private final ScheduledExecutorService retentionExecutor;
    private volatile boolean closed;

    private RocksSeriesStore(Path directory, StoreOptions options) throws RocksDBException, IOException {
        this.directory = directory;
        this.options = options;
        this.blockMillis = options.blockDuration().toMillis();
        this.outOfOrderWindowMillis = options.outOfOrderWindow().toMillis();
        this.retentionMillis = options.retentionTime().toMillis();
        this.headChunkRetentionMillis = options.headChunkRetention().toMillis();
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, new AtomicLong());
        }
        Files.createDirectories(directory);
        dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setKeepLogFileNum(3);
        ColumnFamilyOptions metaOptions = tableOptions(new ColumnFamilyOptions(), blockCache, CompressionType.LZ4_COMPRESSION);
        ColumnFamilyOptions seriesOptions = tableOptions(new ColumnFamilyOptions(), blockCache, CompressionType.LZ4_COMPRESSION);
        // Chunks are already Gorilla-compressed; ZSTD at the bottom level still finds shared bytes between
        // neighbouring keys and chunk headers.
        ColumnFamilyOptions chunkOptions = tableOptions(new ColumnFamilyOptions(), blockCache, CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setWriteBufferSize(32L << 20);
        cfOptions.add(metaOptions);
        cfOptions.add(seriesOptions);
        cfOptions.add(chunkOptions);
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, metaOptions),
                new ColumnFamilyDescriptor("series".getBytes(), seriesOptions),
                new ColumnFamilyDescriptor("chunks".getBytes(), chunkOptions));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        metaCf = handles.get(0);
        seriesCf = handles.get(1);
        chunksCf = handles.get(2);
        load();
        TsdbMetrics.RETENTION_LIMIT_BYTES.set(options.retentionSizeBytes());
        retentionExecutor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tsdb-retention-" + directory.getFileName());
            thread.setDaemon(true);
            return thread;
        });
        long periodMillis = options.retentionCheckInterval().toMillis();
        retentionExecutor.scheduleWithFixedDelay(this::retentionInBackground, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
    }

    private static ColumnFamilyOptions tableOptions(ColumnFamilyOptions options, LRUCache cache,
            CompressionType compression) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockSize(16 * 1024).setBlockCache(cache)
                .setFilterPolicy(new BloomFilter(10, false));
        return options.setTableFormatConfig(table).setCompressionType(compression);
    }

    static RocksSeriesStore open(Path directory, StoreOptions options) {
        try {
            return new RocksSeriesStore(directory, options);
        } catch (RocksDBException | IOException e) {
            throw new StorageException("cannot open TSDB at " + directory + ": " + e.getMessage(), e);
        }
    }

    private void load() throws RocksDBException {
        byte[] version = db.get(metaCf, VERSION_KEY);
        if (version == null) {
            db.put(metaCf, VERSION_KEY, KeyLayout.longValue(KeyLayout.FORMAT_VERSION));
        } else if (KeyLayout.longOf(version) != KeyLayout.FORMAT_VERSION) {
            throw new StorageException("TSDB at " + directory + " has format version " + KeyLayout.longOf(version)
                    + "; this build reads version " + KeyLayout.FORMAT_VERSION);
        }
        try (RocksIterator it = db.newIterator(seriesCf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int id = KeyLayout.seriesId(it.key());
                MemSeries series = new MemSeries(id, LabelsCodec.decode(it.value()));
                seriesByLabels.put(series.labels, series);
                seriesById.put(id, series);
                index.add(id, series.labels);
                nextSeriesId = Math.max(nextSeriesId, id + 1);
            }
        }
        try (RocksIterator it = db.newIterator(metaCf)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] key = it.key();
                switch (key[0]) {
                    case KeyLayout.META_OFFSET -> durableOffsets.put(KeyLayout.offsetPartition(key), KeyLayout.longOf(it.value()));
                    case KeyLayout.META_BLOCK -> {
                        RoaringBitmap ids = new RoaringBitmap();
                        try {
                            ids.deserialize(ByteBuffer.wrap(it.value()));
                        } catch (IOException | RuntimeException e) {
                            throw new StorageException("corrupt block series set at block " + KeyLayout.blockOfBlockKey(key), e);
                        }
                        blocks.put(KeyLayout.blockOfBlockKey(key), ids);
                    }
                    case KeyLayout.META_TOMBSTONE -> tombstones.put(ByteBuffer.wrap(key, 1, 4).getInt(), decodeIntervals(it.value()));
                    case KeyLayout.META_TIME_RANGE -> {
                        ByteBuffer range = ByteBuffer.wrap(it.value());
                        minTime = range.getLong();
                        maxTime = range.getLong();
                        outOfOrderUnknownUntil = maxTime;
                    }
                    default -> {
                    }
                }
            }
        }
        TsdbMetrics.HEAD_SERIES.set(seriesById.size());
        LOG.info("opened TSDB at {}: {} series, {} blocks, offsets {}", directory, seriesById.size(), blocks.size(),
                durableOffsets);
    }

    // ---------------------------------------------------------------- writing

    @Override
    public Appender appender() {
        return new Appender() {
            @Override
            public int append(Labels labels, long[] timestampsMillis, double[] values, int count) {
                return appendSamples(labels, timestampsMillis, values, count);
            }

            @Override
            public void commit(Map<SourcePartition, Long> nextOffsets) {
                commitBatch(nextOffsets);
            }
        };
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("TSDB at " + directory + " is closed");
        }
    }

    int appendSamples(Labels labels, long[] timestamps, double[] values, int count) {
        ensureOpen();
        if (labels == null || labels.isEmpty()) {
            throw new IllegalArgumentException("a series needs at least one label");
        }
        if (count < 0 || count > timestamps.length || count > values.length) {
            throw new IllegalArgumentException("count " + count + " outside the arrays (" + timestamps.length + ", "
                    + values.length + ")");
        }
        if (!writeLock.isHeldByCurrentThread()) {
            writeLock.lock();
        }
        MemSeries series = seriesByLabels.get(labels);
        if (series == null) {
            series = createSeries(labels);
        }
        if (!series.resumed) {
            resume(series);
        }
        int appended = 0;
        int outOfOrder = 0;
        long floor = maxTime == Long.MIN_VALUE ? Long.MIN_VALUE : maxTime - retentionMillis;
        long newest = maxTime;
        long oldest = minTime;
        synchronized (series) {
            for (int i = 0; i < count; i++) {
                long t = timestamps[i];
                long bits = Double.doubleToRawLongBits(values[i]);
                if (t < floor) {
                    reject(RejectReason.TOO_OLD);
                    TsdbMetrics.TOO_OLD_REJECTED.labelValues("float").inc();
                } else if (t > series.maxTime) {
                    appendInOrder(series, t, values[i]);
                    series.lastValueBits = bits;
                    appended++;
                } else if (t == series.maxTime) {
                    if (bits != series.lastValueBits) {
                        reject(RejectReason.DUPLICATE_TIMESTAMP);
                    }
                } else if (outOfOrderWindowMillis > 0 && t >= series.maxTime - outOfOrderWindowMillis) {
                    Boolean sameValue = existingValueEquals(series, t, bits);
                    if (sameValue == null) {
                        series.insertOutOfOrder(-series.outOfOrderIndex(t) - 1, t, values[i]);
                        touchBlock(blockOf(t), series.id);
                        series.dirty = true;
                        appended++;
                        outOfOrder++;
                    } else if (!sameValue) {
                        reject(RejectReason.DUPLICATE_TIMESTAMP);
                    }
                } else {
                    reject(RejectReason.OUT_OF_ORDER);
                    TsdbMetrics.OUT_OF_ORDER_REJECTED.labelValues("float").inc();
                }
                if (t >= floor) {
                    newest = Math.max(newest, t);
                    oldest = Math.min(oldest, t);
                }
            }
        }
        if (appended > 0) {
            markDirty(series);
            maxTime = newest;
            minTime = oldest;
            samplesSinceFlush += appended;
            TsdbMetrics.FLOAT_SAMPLES_APPENDED.inc(appended);
            if (outOfOrder > 0) {
                TsdbMetrics.FLOAT_OUT_OF_ORDER_APPENDED.inc(outOfOrder);
            }
        }
        return appended;
    }

    private void markDirty(MemSeries series) {
        if (!series.dirtyListed) {
            series.dirtyListed = true;
            series.dirty = true;
            dirtySeries.add(series);
        }
    }

    private void reject(RejectReason reason) {
        rejected.get(reason).incrementAndGet();
        TsdbMetrics.REJECTED.labelValues(reason.label()).inc();
    }

    private MemSeries createSeries(Labels labels) {
        MemSeries series = new MemSeries(nextSeriesId++, labels);
        series.resumed = true; // nothing on disk yet
        series.headFrom = Long.MIN_VALUE;
        seriesById.put(series.id, series);
        index.add(series.id, labels);
        seriesByLabels.put(labels, series);
        newSeries.add(series);
        TsdbMetrics.SERIES_CREATED.inc();
        TsdbMetrics.HEAD_SERIES.set(seriesById.size());
        return series;
    }

    /** Loads the series' newest on-disk chunk: its last timestamp, and its encoder when it has room left. */
    private void resume(MemSeries series) {
        series.resumed = true;
        Long block = null;
        synchronized (blocks) {
            for (Map.Entry<Long, RoaringBitmap> entry : blocks.descendingMap().entrySet()) {
                if (entry.getValue().contains(series.id)) {
                    block = entry.getKey();
                    break;
                }
            }
        }
        if (block == null) {
            return;
        }
        byte[] prefix = KeyLayout.seriesInBlockPrefix(block, series.id);
        byte[] newestChunk = null;
        try (RocksIterator it = db.newIterator(chunksCf)) {
            it.seekForPrev(KeyLayout.chunkKey(block, series.id, Long.MAX_VALUE));
            for (; it.isValid() && KeyLayout.hasPrefix(it.key(), prefix); it.prev()) {
                if (it.key().length == KeyLayout.IN_ORDER_CHUNK_KEY_LENGTH) {
                    newestChunk = it.value();
                    break;
                }
            }
        }
        if (newestChunk == null) {
            return;
        }
        XorChunkEncoder encoder = XorChunkEncoder.resume(newestChunk);
        synchronized (series) {
            series.maxTime = encoder.maxTime();
            ChunkDecoder decoder = Chunks.decoder(newestChunk);
            while (decoder.next()) {
                series.lastValueBits = decoder.valueBits();
            }
            if (encoder.count() < options.chunkMaxSamples()) {
                series.open = encoder;
                series.openBlock = block;
            } else {
                series.flushed.add(new MemSeries.PendingChunk(block, encoder.minTime(), newestChunk));
            }
            series.headFrom = encoder.minTime();
        }
    }

    private void appendInOrder(MemSeries series, long t, double value) {
        long block = blockOf(t);
        XorChunkEncoder open = series.open;
        if (open != null && (open.count() >= options.chunkMaxSamples() || block != series.openBlock)) {
            series.cut.add(new MemSeries.PendingChunk(series.openBlock, open.minTime(), Chunks.finish(open)));
            open = null;
        }
        if (open == null) {
            open = new XorChunkEncoder();
            series.open = open;
            series.openBlock = block;
            touchBlock(block, series.id);
        }
        open.append(t, value);
        series.maxTime = t;
        series.dirty = true;
    }

    /** Null when no sample with this timestamp is in the head, else whether its value has these bits. */
    private Boolean existingValueEquals(MemSeries series, long t, long bits) {
        int index = series.outOfOrderIndex(t);
        if (index >= 0) {
            return Double.doubleToRawLongBits(series.outOfOrderValues[index]) == bits;
        }
        if (series.open != null && series.open.count() > 0 && t >= series.open.minTime()) {
            return findIn(series.open.view().decoder(), t, bits);
        }
        for (MemSeries.PendingChunk chunk : series.cut) {
            if (t >= chunk.minTime()) {
                Boolean found = findIn(Chunks.decoder(chunk.bytes()), t, bits);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Boolean findIn(ChunkDecoder decoder, long t, long bits) {
        while (decoder.next()) {
            if (decoder.timestamp() == t) {
                return decoder.valueBits() == bits;
            }
            if (decoder.timestamp() > t) {
                return null;
            }
        }
        return null;
    }

    long blockOf(long timestamp) {
        return Math.floorDiv(timestamp, blockMillis) * blockMillis;
    }

    private void touchBlock(long block, int seriesId) {
        synchronized (blocks) {
            RoaringBitmap ids = blocks.computeIfAbsent(block, b -> new RoaringBitmap());
            if (ids.checkedAdd(seriesId)) {
                dirtyBlocks.add(block);
            }
        }
    }

    private void commitBatch(Map<SourcePartition, Long> nextOffsets) {
        ensureOpen();
        if (!writeLock.isHeldByCurrentThread()) {
            writeLock.lock();
        }
        try {
            pendingOffsets.putAll(nextOffsets);
            boolean due = samplesSinceFlush >= options.flushMaxSamples()
                    || System.nanoTime() - lastFlushNanos >= options.flushInterval().toNanos();
            if (due) {
                flushLocked();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes the head and the pending offsets in one batch. Caller holds the write lock with no batch open. */
    private void flushLocked() {
        long startNanos = System.nanoTime();
        List<MemSeries> written = new ArrayList<>(dirtySeries);
        try (WriteBatch batch = new WriteBatch()) {
            for (MemSeries series : newSeries) {
                batch.put(seriesCf, KeyLayout.seriesKey(series.id), LabelsCodec.encode(series.labels));
            }
            int[] outOfOrderWritten = new int[written.size()];
            for (int i = 0; i < written.size(); i++) {
                MemSeries series = written.get(i);
                synchronized (series) {
                    for (MemSeries.PendingChunk chunk : series.cut) {
                        batch.put(chunksCf, KeyLayout.chunkKey(chunk.block(), series.id, chunk.minTime()), chunk.bytes());
                    }
                    if (series.open != null && series.open.count() > 0) {
                        batch.put(chunksCf, KeyLayout.chunkKey(series.openBlock, series.id, series.open.minTime()),
                                series.open.toBytes());
                    }
                    outOfOrderWritten[i] = series.outOfOrderCount;
                    writeOutOfOrder(batch, series);
                }
            }
            synchronized (blocks) {
                for (Long block : dirtyBlocks) {
                    RoaringBitmap ids = blocks.get(block);
                    if (ids != null) {
                        ids.runOptimize();
                        ByteBuffer buffer = ByteBuffer.allocate(ids.serializedSizeInBytes());
                        ids.serialize(buffer);
                        batch.put(metaCf, KeyLayout.blockKey(block), buffer.array());
                    }
                }
                dirtyBlocks.clear();
            }
            for (Map.Entry<SourcePartition, Long> offset : pendingOffsets.entrySet()) {
                batch.put(metaCf, KeyLayout.offsetKey(offset.getKey()), KeyLayout.longValue(offset.getValue()));
            }
            if (maxTime != Long.MIN_VALUE) {
                batch.put(metaCf, TIME_RANGE_KEY, ByteBuffer.allocate(16).putLong(minTime).putLong(maxTime).array());
            }
            db.write(writeOptions, batch);
            flushGeneration++;
            for (int i = 0; i < written.size(); i++) {
                MemSeries series = written.get(i);
                synchronized (series) {
                    series.retainFlushed(headChunkRetentionMillis);
                    if (outOfOrderWritten[i] > 0) {
                        series.outOfOrderOnDisk = true;
                    }
                    // Only the single writer adds samples and it is waiting for this flush: drop what was written.
                    series.outOfOrderCount = 0;
                    series.dirty = false;
                    series.dirtyListed = false;
                }
            }
        } catch (RocksDBException e) {
            throw new StorageException("cannot write the head to " + directory + ": " + e.getMessage(), e);
        }
        durableOffsets.putAll(pendingOffsets);
        pendingOffsets.clear();
        newSeries.clear();
        dirtySeries.clear();
        samplesSinceFlush = 0;
        lastFlushNanos = System.nanoTime();
        TsdbMetrics.FLUSH_SECONDS.observe((lastFlushNanos - startNanos) / 1e9);
    }

    /** Writes the out-of-order buffer as one chunk per block (timestamps are sorted, so blocks are runs). */
    private void writeOutOfOrder(WriteBatch batch, MemSeries series) throws RocksDBException {
        int start = 0;
        while (start < series.outOfOrderCount) {
            long block = blockOf(series.outOfOrderTimestamps[start]);
            XorChunkEncoder encoder = new XorChunkEncoder();
            int i = start;
            while (i < series.outOfOrderCount && blockOf(series.outOfOrderTimestamps[i]) == block) {
                encoder.append(series.outOfOrderTimestamps[i], series.outOfOrderValues[i]);
                i++;
            }
            batch.put(chunksCf, KeyLayout.outOfOrderChunkKey(block, series.id, encoder.minTime(), outOfOrderSequence++),
                    encoder.toBytes());
            start = i;
        }
    }

    @Override
    public Map<SourcePartition, Long> committedOffsets() {
        return Map.copyOf(durableOffsets);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public Queryable queryable() {
        return (minTimeMillis, maxTimeMillis) -> {
            ensureOpen();
            return new RocksDbQuerier(this, minTimeMillis, maxTimeMillis);
        };
    }

    /** Blocks overlapping {@code [start, end]} that hold data of the series, oldest first. */
    List<Long> blocksWith(int seriesId, long start, long end) {
        List<Long> result = new ArrayList<>(2);
        long from = blockOf(Math.max(start, Long.MIN_VALUE / 2));
        long to = blockOf(Math.min(end, Long.MAX_VALUE / 2));
        if (from > to) {
            return result;
        }
        synchronized (blocks) {
            NavigableMap<Long, RoaringBitmap> range = blocks.subMap(from, true, to, true);
            for (Map.Entry<Long, RoaringBitmap> entry : range.entrySet()) {
                if (entry.getValue().contains(seriesId)) {
                    result.add(entry.getKey());
                }
            }
        }
        return result;
    }

    /**
     * Copies of the series sets of the blocks overlapping {@code [start, end]}, oldest first: one query's
     * view of which series have data in which block, taken once instead of under the lock per series.
     */
    BlockSeriesSets blockSeriesSets(long start, long end) {
        long from = blockOf(Math.max(start, Long.MIN_VALUE / 2));
        long to = blockOf(Math.min(end, Long.MAX_VALUE / 2));
        if (from > to) {
            return BlockSeriesSets.EMPTY;
        }
        synchronized (blocks) {
            NavigableMap<Long, RoaringBitmap> range = blocks.subMap(from, true, to, true);
            long[] starts = new long[range.size()];
            RoaringBitmap[] series = new RoaringBitmap[range.size()];
            int i = 0;
            for (Map.Entry<Long, RoaringBitmap> entry : range.entrySet()) {
                starts[i] = entry.getKey();
                series[i++] = entry.getValue().clone();
            }
            return new BlockSeriesSets(starts, series);
        }
    }

    RocksIterator newChunkIterator(ReadOptions readOptions) {
        return db.newIterator(chunksCf, readOptions);
    }

    @Override
    public TsdbStats stats(int topN) {
        PostingsIndex.CardinalityLists lists = index.cardinality(topN);
        long chunks = 0;
        for (MemSeries series : seriesById.values()) {
            synchronized (series) {
                chunks += series.headChunkCount();
            }
        }
        TsdbMetrics.HEAD_CHUNKS.set(chunks);
        TsdbStats.HeadStats head = new TsdbStats.HeadStats(index.seriesCount(), index.labelPairCount(), chunks,
                minTime, maxTime);
        return new TsdbStats(head, lists.seriesCountByMetricName(), lists.labelValueCountByLabelName(),
                lists.memoryInBytesByLabelName(), lists.seriesCountByLabelValuePair());
    }

    @Override
    public Map<RejectReason, Long> rejectedSamples() {
        Map<RejectReason, Long> result = new EnumMap<>(RejectReason.class);
        rejected.forEach((reason, count) -> result.put(reason, count.get()));
        return result;
    }

    // ---------------------------------------------------------------- admin

    @Override
    public void deleteSeries(List<LabelMatcher> matchers, long minTimeMillis, long maxTimeMillis) {
        ensureOpen();
        if (matchers == null || matchers.isEmpty()) {
            throw new IllegalArgumentException("delete_series needs at least one matcher");
        }
        if (minTimeMillis > maxTimeMillis) {
            throw new IllegalArgumentException("start " + minTimeMillis + " is after end " + maxTimeMillis);
        }
        RoaringBitmap ids = index.select(matchers);
        try (WriteBatch batch = new WriteBatch()) {
            for (int id : ids) {
                long[] merged = Tombstones.add(tombstones.get(id), minTimeMillis, maxTimeMillis);
                tombstones.put(id, merged);
                batch.put(metaCf, KeyLayout.tombstoneKey(id), encodeIntervals(merged));
            }
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StorageException("cannot write tombstones to " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void cleanTombstones() {
        ensureOpen();
        writeLock.lock();
        try {
            flushLocked();
            new TombstoneCleaner(this).clean();
        } finally {
            writeLock.unlock();
        }
    }

    /** Called by {@link TombstoneCleaner} with the write lock held: the head must re-read rewritten chunks. */
    void forgetHead(MemSeries series) {
        synchronized (series) {
            series.forgetChunks();
            series.outOfOrderOnDisk = true; // rewritten chunks may keep out-of-order keys
            series.maxTime = Long.MIN_VALUE;
            series.resumed = false;
        }
    }

    void removeFromBlock(long block, int seriesId, WriteBatch batch) throws RocksDBException {
        synchronized (blocks) {
            RoaringBitmap ids = blocks.get(block);
            if (ids == null) {
                return;
            }
            ids.remove(seriesId);
            ByteBuffer buffer = ByteBuffer.allocate(ids.serializedSizeInBytes());
            ids.serialize(buffer);
            batch.put(metaCf, KeyLayout.blockKey(block), buffer.array());
        }
    }

    List<Long> allBlocks() {
        synchronized (blocks) {
            return new ArrayList<>(blocks.keySet());
        }
    }

    static byte[] encodeIntervals(long[] intervals) {
        ByteBuffer buffer = ByteBuffer.allocate(intervals.length * 8);
        for (long value : intervals) {
            buffer.putLong(value);
        }
        return buffer.array();
    }

    static long[] decodeIntervals(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long[] intervals = new long[bytes.length / 8];
        for (int i = 0; i < intervals.length; i++) {
            intervals[i] = buffer.getLong();
        }
        return intervals;
    }

    @Override
    public Path snapshot(boolean skipHead) {
        ensureOpen();
        String name = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").format(ZonedDateTime.now(ZoneOffset.UTC))
                + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffffL);
        Path target = directory.resolve("snapshots").resolve(name);
        writeLock.lock();
        try {
            if (!skipHead) {
                flushLocked();
            }
            Files.createDirectories(target.getParent());
            try (Checkpoint checkpoint = Checkpoint.create(db)) {
                checkpoint.createCheckpoint(target.toString());
            }
            return target;
        } catch (RocksDBException | IOException e) {
            throw new StorageException("cannot write snapshot " + target + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long diskSizeBytes() {
        try {
            long total = 0;
            for (ColumnFamilyHandle handle : List.of(metaCf, seriesCf, chunksCf)) {
                total += db.getLongProperty(handle, "rocksdb.total-sst-files-size");
            }
            return total;
        } catch (RocksDBException e) {
            throw new StorageException("cannot read the size of " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void compact() {
        try {
            db.compactRange(metaCf);
            db.compactRange(seriesCf);
            db.compactRange(chunksCf);
        } catch (RocksDBException e) {
            throw new StorageException("cannot compact " + directory + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- retention

    private void retentionInBackground() {
        try {
            enforceRetention();
        } catch (RuntimeException e) {
            LOG.warn("retention pass on {} failed: {}", directory, e.toString());
        }
    }

    @Override
    public void enforceRetention() {
        if (closed) {
            return;
        }
        new RetentionPass(this).run(maxTime, retentionMillis, options.retentionSizeBytes());
        TsdbMetrics.STORAGE_BYTES.set(diskSizeBytes());
    }

    /** Deletes whole blocks: one range tombstone each, then drops the SST files wholly inside. */
    void deleteBlocks(List<Long> doomed) throws RocksDBException {
        if (doomed.isEmpty()) {
            return;
        }
        List<byte[]> ranges = new ArrayList<>();
        try (WriteBatch batch = new WriteBatch()) {
            for (long block : doomed) {
                byte[] begin = KeyLayout.blockStartKey(block);
                byte[] end = KeyLayout.blockStartKey(block + blockMillis);
                batch.deleteRange(chunksCf, begin, end);
                batch.delete(metaCf, KeyLayout.blockKey(block));
                ranges.add(begin);
                ranges.add(end);
            }
            db.write(writeOptions, batch);
        }
        synchronized (blocks) {
            for (long block : doomed) {
                blocks.remove(block);
                dirtyBlocks.remove(block);
            }
            Map.Entry<Long, RoaringBitmap> oldest = blocks.firstEntry();
            if (oldest != null) {
                minTime = Math.max(minTime, oldest.getKey());
            }
        }
        db.deleteFilesInRanges(chunksCf, ranges, false);
        db.compactRange(chunksCf, ranges.get(0), ranges.get(ranges.size() - 1));
    }

    /** Bytes of one block's chunks (approximate, from RocksDB's file statistics). */
    long blockSizeBytes(long block) {
        org.rocksdb.Range range = new org.rocksdb.Range(new org.rocksdb.Slice(KeyLayout.blockStartKey(block)),
                new org.rocksdb.Slice(KeyLayout.blockStartKey(block + blockMillis)));
        return db.getApproximateSizes(chunksCf, List.of(range), org.rocksdb.SizeApproximationFlag.INCLUDE_FILES,
                org.rocksdb.SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
    }

    /**
     * Removes series that have no data left in any block nor in the head. Takes the write lock so the
     * writer never appends to a series being removed; gives up (until the next pass) if the writer
     * holds it too long.
     */
    void collectGarbageSeries() throws RocksDBException, InterruptedException {
        if (!writeLock.tryLock(2, TimeUnit.SECONDS)) {
            return;
        }
        try {
            RoaringBitmap live;
            synchronized (blocks) {
                live = RoaringBitmap.or(blocks.values().iterator());
            }
            RoaringBitmap dead = index.allSeries();
            dead.andNot(live);
            if (dead.isEmpty()) {
                return;
            }
            try (WriteBatch batch = new WriteBatch()) {
                for (int id : dead) {
                    MemSeries series = seriesById.get(id);
                    if (series == null || series.dirtyListed || newSeries.contains(series)) {
                        continue;
                    }
                    synchronized (series) {
                        // Chunks of a deleted block: the head drops them too.
                        series.forgetChunks();
                    }
                    batch.delete(seriesCf, KeyLayout.seriesKey(id));
                    batch.delete(metaCf, KeyLayout.tombstoneKey(id));
                    seriesById.remove(id);
                    seriesByLabels.remove(series.labels);
                    index.remove(id, series.labels);
                    tombstones.remove(id);
                    TsdbMetrics.SERIES_REMOVED.inc();
                }
                db.write(writeOptions, batch);
            }
            TsdbMetrics.HEAD_SERIES.set(seriesById.size());
        } finally {
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closed) {
            return;
        }
        retentionExecutor.shutdownNow();
        try {
            retentionExecutor.awaitTermination(30, TimeUnit.SECONDS);
            // A writer holding the lock is mid-batch: its samples are not committed, so they are not
            // flushed (the source replays them).
            if (writeLock.tryLock(10, TimeUnit.SECONDS)) {
                try {
                    flushLocked();
                } finally {
                    writeLock.unlock();
                }
            } else {
                LOG.warn("closing {} without flushing: the writer did not finish its batch", directory);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            writeOptions.close();
            metaCf.close();
            seriesCf.close();
            chunksCf.close();
            db.close();
            dbOptions.close();
            cfOptions.forEach(ColumnFamilyOptions::close);
            blockCache.close();
        }
    }
}

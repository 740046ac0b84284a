package dev.breakwater.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.Chunk;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

import java.lang.System.Logger.Level;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the H2 file within about 2.6 times its live size in small steps, one after each flush,
 * instead of H2's own housekeeping.
 * <p>
 * H2 never overwrites a page: every store writes the changed pages to a new chunk, and an old
 * chunk is reused only once all its pages are dead, or once compaction has rewritten its few
 * live pages elsewhere. Under load most of what a flush writes is garbage by the next flush (the
 * right edge of each index and the inner pages above it, rewritten every time), so the file
 * grows by far more than the data. H2's background housekeeping does the rewriting in steps of up
 * to ~19 MB under the store lock, and the flush queued behind such a step waited 60-250 ms. So
 * auto-compaction is off ({@code AUTO_COMPACT_FILL_RATE=0}) and, after each flush, the flushing
 * thread moves a few pages and writes them out, and an old chunk is freed once all its live
 * pages have moved.
 * <p>
 * The unit of work is a page, not a chunk. H2's own step ({@code FileStore.rewriteChunks(int,
 * int)}) only takes whole chunks whose live data fits in it, and writes what it moved into one
 * chunk about that size, which no later step of that size takes again: with 256 KB steps the
 * file reached 3.8x its live data in 5 minutes, and the 1 MB steps that held it near 2x made the
 * flush behind each step the write benchmark's p99 (docs/performance.md). Here steps work through
 * the chosen chunks in order, leaf pages first and then what is left, as H2 does, and a chunk
 * with more live data than a step simply takes several.
 * <p>
 * None of this is public API. The FileStore, Chunk, MVMap and MVStore members below are reached
 * by reflection, pinned to H2 2.5.252; if an upgrade removes one, {@link #of} fails and so does
 * every test that opens a database. On PostgreSQL this whole class is autovacuum's job.
 */
final class Compaction {
    /**
     * Steps run while less than this share of the chunks' bytes is live, and they take the
     * emptiest chunks first, so moving little frees much. Under full load the live share settles
     * some points below the target: with 50 the 5-minute soak ended at 2.75x live data, with 55
     * at 2.58x, for a p99 within run-to-run noise (19.0 vs 19.7 ms at 4x naive).
     */
    static final int TARGET_FILL_PERCENT = 55;
    /**
     * Bytes of live pages a step moves while the live share is within
     * {@value #PERCENT_PER_STEP_SIZE} points of the target; one more of these per
     * {@value #PERCENT_PER_STEP_SIZE} points below it, up to {@value #MAX_STEP_SIZES}. Under
     * sustained load the file settles where the steps keep up with the garbage, and small steps
     * keep short the store lock they hold, which the next flush waits for.
     */
    static final int BYTES_PER_STEP_SIZE = 64 * 1024;
    static final int PERCENT_PER_STEP_SIZE = 5;
    static final int MAX_STEP_SIZES = 4;
    /** Live bytes of the chunks chosen at once, moved over the next steps. */
    static final int BYTES_PER_CHOICE = 8 * 1024 * 1024;
    /** How long to wait before looking again when there was nothing worth moving. */
    static final long IDLE_NANOS = 100_000_000L;
    private static final System.Logger LOG = System.getLogger(Compaction.class.getName());

    private final MVStore store;
    private final FileStore<?> fileStore;
    private final ReentrantLock serializationLock;
    private final Map<Integer, ? extends Chunk<?>> chunks;
    private final Field layout;
    private final Field occupancy;
    private final Field pageCount;
    private final Method timeSinceCreation;
    private final Method acceptOccupancyChanges;
    private final Method tableOfContents;
    private final Method rewritable;
    private final Method rewritePage;
    private final Method markMetaChanged;
    private final Method underStoreLock;
    /** Naive mode flushes from several threads at once; one step at a time is enough. */
    private final ReentrantLock stepping = new ReentrantLock();

    // Where the last step stopped; only touched while holding `stepping`.
    private final Queue<Integer> queue = new ArrayDeque<>();
    private int chunkId = -1;
    private int stepBytes = BYTES_PER_STEP_SIZE;
    private long idleSince = System.nanoTime() - IDLE_NANOS;
    private boolean secondPass;
    private int nextPage;

    @SuppressWarnings("unchecked")
    private Compaction(MVStore store) throws ReflectiveOperationException {
        this.store = store;
        this.fileStore = store.getFileStore();
        this.serializationLock = (ReentrantLock) accessible(FileStore.class.getDeclaredField("serializationLock")).get(fileStore);
        this.chunks = (Map<Integer, ? extends Chunk<?>>) accessible(FileStore.class.getDeclaredField("chunks")).get(fileStore);
        this.layout = accessible(FileStore.class.getDeclaredField("layout"));
        this.occupancy = accessible(Chunk.class.getDeclaredField("occupancy"));
        this.pageCount = accessible(Chunk.class.getDeclaredField("pageCount"));
        this.timeSinceCreation = accessible(FileStore.class.getDeclaredMethod("getTimeSinceCreation"));
        this.acceptOccupancyChanges = accessible(FileStore.class.getDeclaredMethod("acceptChunkOccupancyChanges", long.class, long.class));
        this.tableOfContents = accessible(FileStore.class.getDeclaredMethod("getToC", Chunk.class));
        this.rewritable = accessible(FileStore.class.getDeclaredMethod("isRewritable", Chunk.class, long.class));
        this.rewritePage = accessible(MVMap.class.getDeclaredMethod("rewritePage", long.class));
        this.markMetaChanged = accessible(MVStore.class.getDeclaredMethod("markMetaChanged"));
        this.underStoreLock = accessible(MVStore.class.getDeclaredMethod("tryExecuteUnderStoreLock", Callable.class));
    }

    private static <T extends AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }

    /** The compaction of the embedded store behind an H2 connection of this process. */
    static Compaction of(Connection connection) throws SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        try {
            return new Compaction(session.getDatabase().getStore().getMvStore());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this H2 version lacks the compaction step Compaction needs", e);
        }
    }

    /** One bounded step; call it after a flush, on the thread that flushed. Never throws. */
    void step() {
        if (!stepping.tryLock()) {
            return;
        }
        try {
            Callable<Boolean> rewriteSome = () -> {
                boolean rewrote = rewrite(stepBytes);
                if (rewrote) {
                    // Write the moved pages now, in a store of their own, not in the flush that
                    // requests wait for: offered 1,512/s, p99 19.2 ms instead of 25.9 ms. No
                    // fsync: the next flush's covers it, and nothing acknowledged depends on it.
                    store.commit();
                    fileStore.dropUnusedChunks();
                }
                return rewrote;
            };
            underStoreLock.invoke(store, rewriteSome);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            // An optimisation failed: the data is as it was, and the next step tries again.
            chunkId = -1;
            queue.clear();
            LOG.log(Level.WARNING, "compaction step failed; the file may grow until a later step succeeds", e);
        } finally {
            stepping.unlock();
        }
    }

    /** H2's estimate of the share of live data in the file's chunks, in percent. */
    int chunksFillRate() {
        return fileStore.getChunksFillRate();
    }

    /** The body of a step, under the store lock: what H2's rewriteChunks does, with a byte budget. */
    private boolean rewrite(int budget) throws ReflectiveOperationException {
        serializationLock.lock();
        try {
            MVStore.TxCounter usage = store.registerVersionUsage();
            try {
                long time = (Long) timeSinceCreation.invoke(fileStore);
                acceptOccupancyChanges.invoke(fileStore, time, store.getCurrentVersion());
                boolean rewrote = false;
                boolean chosen = false;
                while (budget > 0) {
                    Chunk<?> chunk = chunkId < 0 ? null : chunks.get(chunkId);
                    if (chunk != null && (Boolean) rewritable.invoke(fileStore, chunk, time)) {
                        budget = rewritePages(chunk, budget);
                        rewrote = true;
                    } else if (!queue.isEmpty()) {
                        chunkId = queue.poll();
                        secondPass = false;
                        nextPage = 0;
                    } else if (!chosen) {
                        chooseChunks(time);
                        chosen = true;
                        chunkId = -1;
                    } else {
                        chunkId = -1;
                        break;
                    }
                }
                return rewrote;
            } finally {
                store.deregisterVersionUsage(usage);
            }
        } finally {
            serializationLock.unlock();
        }
    }

    /**
     * Queues the next chunks to move: among the chunks emptier than the average, the emptiest
     * first, about {@value #BYTES_PER_CHOICE} bytes of live data; none when the chunks are full
     * enough. Scanning every chunk for each step would cost more than the step.
     */
    private void chooseChunks(long time) throws ReflectiveOperationException {
        if (System.nanoTime() - idleSince < IDLE_NANOS) {
            return;
        }
        int liveShare = fileStore.getChunksFillRate();
        if (liveShare >= TARGET_FILL_PERCENT) {
            idleSince = System.nanoTime();
            return;
        }
        stepBytes = BYTES_PER_STEP_SIZE * Math.min(MAX_STEP_SIZES, 1 + (TARGET_FILL_PERCENT - liveShare) / PERCENT_PER_STEP_SIZE);
        // The average is over the chunks that may be rewritten (as H2's housekeeping takes it):
        // dead chunks waiting to be freed would drag the plain average below every live chunk,
        // and then no chunk would qualify. One pass gathers both the candidates and the average.
        List<long[]> candidates = new ArrayList<>();
        long length = 1;
        long liveLength = 1;
        for (Chunk<?> c : chunks.values()) {
            if ((Boolean) rewritable.invoke(fileStore, c, time)) {
                length += c.maxLen;
                liveLength += c.maxLenLive;
                candidates.add(new long[] {fillRate(c), c.maxLenLive, c.id});
            }
        }
        long averageFill = 100 * liveLength / length;
        candidates.removeIf(c -> c[0] > averageFill);
        // Emptiest first, not H2's fill over age, which prefers old chunks that are fuller: offered
        // 1,576/s, p99 23.5 ms instead of 25.9 ms, and 2.68x instead of 2.77x live after a
        // 5-minute soak at full rate, while taking 11% more payments (docs/performance.md).
        candidates.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[1]));
        long live = 0;
        for (long[] c : candidates) {
            if (live >= BYTES_PER_CHOICE) {
                break;
            }
            queue.add((int) c[2]);
            live += c[1];
        }
        if (queue.isEmpty()) {
            idleSince = System.nanoTime();
        }
    }

    /** As H2's Chunk.getFillRate. */
    private static int fillRate(Chunk<?> c) {
        if (c.maxLenLive <= 0) {
            return 0;
        }
        return c.maxLenLive == c.maxLen ? 100 : 1 + (int) (98 * c.maxLenLive / c.maxLen);
    }

    /**
     * Marks live pages of the chunk dirty, from where the last step stopped, until the budget is
     * spent, and returns what is left of it: first the leaves, then whatever is still live (the
     * inner pages the leaves' moves did not already replace). A page that had already moved
     * costs nothing.
     */
    private int rewritePages(Chunk<?> chunk, int budget) throws ReflectiveOperationException {
        long[] toc = (long[]) tableOfContents.invoke(fileStore, chunk);
        if (toc == null) { // a chunk from before H2 kept a table of contents: leave it
            chunkId = -1;
            return budget;
        }
        int pages = pageCount.getInt(chunk);
        BitSet dead = (BitSet) occupancy.get(chunk);
        MVMap<?, ?> layoutMap = (MVMap<?, ?>) layout.get(fileStore);
        MVMap<String, String> metaMap = store.getMetaMap();
        int page = nextPage;
        while (budget > 0) {
            page = dead.nextClearBit(page);
            if (page >= pages) {
                if (secondPass) {
                    chunkId = -1; // every page moved: a later store frees the chunk
                    return budget;
                }
                secondPass = true;
                page = 0;
                continue;
            }
            long entry = toc[page++];
            if (!secondPass && !DataUtils.isLeafPosition(entry)) {
                continue;
            }
            int mapId = DataUtils.getPageMapId(entry);
            MVMap<?, ?> map = mapId == layoutMap.getId() ? layoutMap
                    : mapId == metaMap.getId() ? metaMap : store.getMap(mapId);
            if (map == null || map.isClosed()) {
                continue;
            }
            long position = DataUtils.composePagePos(chunk.id, entry);
            // As in H2: other writers may go on while a page is moved.
            serializationLock.unlock();
            try {
                if ((Boolean) rewritePage.invoke(map, position)) {
                    budget -= DataUtils.getPageMaxLength(position);
                    if (map == metaMap) {
                        markMetaChanged.invoke(store);
                    }
                }
            } finally {
                serializationLock.lock();
            }
        }
        nextPage = page;
        return budget;
    }
}

package dev.breakwater.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the H2 file close to its live size in small steps, one after each flush, instead of
 * H2's own housekeeping.
 * <p>
 * H2 never overwrites a page: every store writes the changed pages to a new chunk, and an old
 * chunk is reused only once all its pages are dead, or once compaction has rewritten its few
 * live pages elsewhere. H2's background housekeeping does that rewriting in steps of up to
 * ~19 MB (its {@code autoCommitMemory}, not settable through the URL) under the store lock,
 * and the flush queued behind such a step waited 60-250 ms: the write benchmark's p99 was
 * 83 ms with it and 41 ms with this class (79 and 38 ms when paced; docs/performance.md). So
 * auto-compaction is off ({@code AUTO_COMPACT_FILL_RATE=0}) and, after each flush, the flushing
 * thread rewrites the live pages of at most {@value #BYTES_PER_STEP} bytes' worth of chunks that
 * are emptier than the average, the step H2's housekeeping takes, only smaller and paced by the
 * writes. The next flush writes those pages out and the old chunks become free.
 * <p>
 * That step is not public API: {@code FileStore.rewriteChunks(int, int)},
 * {@code FileStore.getRewritableChunksFillRate()} and {@code MVStore.tryExecuteUnderStoreLock}
 * are reached by reflection, pinned to H2 2.5.252. The public {@code MVStore.compact(int, int)}
 * rewrites chunks without that fill ceiling, spending the budget on nearly full old chunks: with
 * it the file stayed 2.5-3.3x its live data instead of about 2x. If an H2 upgrade removes any of
 * the three, {@link #of} fails and so does every test that opens a database. On PostgreSQL this
 * whole class is autovacuum's job.
 */
final class Compaction {
    /**
     * Live bytes rewritten per step, at most. 512 KB held a 30 s run at 2.1x live data but a
     * 5-minute run (a million payments) reached 3.03x; 1 MB keeps a margin and costs some p99.
     */
    static final int BYTES_PER_STEP = 1024 * 1024;
    /** Above this share of live data in the chunks there is nothing worth a step. */
    static final int FULL_ENOUGH_PERCENT = 90;
    private static final System.Logger LOG = System.getLogger(Compaction.class.getName());

    private final MVStore store;
    private final FileStore<?> fileStore;
    private final Method rewriteChunks;
    private final Method rewritableFillRate;
    private final Method underStoreLock;
    /** Naive mode flushes from several threads at once; one step at a time is enough. */
    private final ReentrantLock stepping = new ReentrantLock();

    private Compaction(MVStore store) throws NoSuchMethodException {
        this.store = store;
        this.fileStore = store.getFileStore();
        this.rewriteChunks = FileStore.class.getDeclaredMethod("rewriteChunks", int.class, int.class);
        this.rewritableFillRate = FileStore.class.getDeclaredMethod("getRewritableChunksFillRate");
        this.underStoreLock = MVStore.class.getDeclaredMethod("tryExecuteUnderStoreLock", Callable.class);
        rewriteChunks.setAccessible(true);
        rewritableFillRate.setAccessible(true);
        underStoreLock.setAccessible(true);
    }

    /** The compaction of the embedded store behind an H2 connection of this process. */
    static Compaction of(Connection connection) throws SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        try {
            return new Compaction(session.getDatabase().getStore().getMvStore());
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this H2 version lacks the compaction step Compaction needs", e);
        }
    }

    /** One bounded step; call it after a flush, on the thread that flushed. Never throws. */
    void step() {
        if (!stepping.tryLock()) {
            return;
        }
        try {
            // Over the chunks that may be rewritten: dead chunks waiting to be freed would drag the
            // plain average below every live chunk, and then no chunk would qualify.
            int averageFill = (Integer) rewritableFillRate.invoke(fileStore);
            if (averageFill >= FULL_ENOUGH_PERCENT) {
                return;
            }
            Callable<Boolean> rewriteSparseChunks = () -> {
                boolean rewrote = (Boolean) rewriteChunks.invoke(fileStore, BYTES_PER_STEP, averageFill);
                if (rewrote) {
                    fileStore.dropUnusedChunks();
                }
                return rewrote;
            };
            underStoreLock.invoke(store, rewriteSparseChunks);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            // An optimisation failed: the data is as it was, and the next step tries again.
            LOG.log(Level.WARNING, "compaction step failed; the file may grow until a later step succeeds", e);
        } finally {
            stepping.unlock();
        }
    }

    /** H2's estimate of the share of live data in the file's chunks, in percent. */
    int chunksFillRate() {
        return fileStore.getChunksFillRate();
    }
}

package dev.breakwater.store;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;

import java.lang.reflect.Field;
import java.nio.channels.ClosedChannelException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Makes every commit of the embedded H2 store durable: stores it, waits until no store is still
 * writing pages in the background, then fsyncs the file.
 * <p>
 * {@code CHECKPOINT SYNC} alone was not enough. H2's write-delay store (every
 * {@value H2Engine#WRITE_DELAY_MS} ms, for commits outside {@code Database.write}) takes all
 * unsaved changes, hands their serialization and their write to two single-thread executors and
 * returns. A flush that starts meanwhile finds nothing unsaved, skips its own store and fsyncs a
 * file the background write has not reached yet: the write is acknowledged, and a kill -9 before
 * the executors finish loses it ({@code CrashDurabilityTest} failed that way under CPU load).
 * Queuing a no-op behind each executor, in the order a store uses them, waits for any such store.
 * <p>
 * The executors are private to H2's {@link FileStore}, reached by reflection like
 * {@link Compaction}'s members; a newer H2 without them fails startup, not a write.
 */
final class DurableFlush {
    /** In the order a store passes through them: pages are serialized, then the buffer is saved. */
    private static final List<Field> STORE_EXECUTORS = List.of(
            executorField("serializationExecutor"), executorField("bufferSaveExecutor"));

    private static final int ATTEMPTS = 5;

    private DurableFlush() {
    }

    private static Field executorField(String name) {
        try {
            Field field = FileStore.class.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this H2 version lacks the store executors DurableFlush waits for", e);
        }
    }

    /**
     * Stores every committed change of this connection's database and fsyncs the file.
     * <p>
     * An interrupt of another thread inside H2's file I/O closes the file channel under every
     * thread using it. The {@code retry:} file system reopens it and retries, but only 20 times
     * per call: a long fsync cut again and again by another thread's interrupts can run out of
     * those, and then this caller, which nobody interrupted, would fail. So a flush that failed on
     * a closed channel is tried again, up to {@value #ATTEMPTS} times in all, while this thread
     * is not itself interrupted; storing and syncing twice is harmless.
     */
    static void flush(Connection connection) throws SQLException {
        MVStore store = mvStore(connection);
        for (int attempt = 1; ; attempt++) {
            try {
                store.commit();
                awaitBackgroundStores(store.getFileStore());
                store.sync();
                return;
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || Thread.currentThread().isInterrupted() || !closedUnderUs(e)) {
                    throw new SQLException("H2 could not store or sync a commit", e);
                }
            }
        }
    }

    private static boolean closedUnderUs(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    static MVStore mvStore(Connection connection) throws SQLException {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        return session.getDatabase().getStore().getMvStore();
    }

    /** Returns once every store handed to H2's executors before this call has written its pages. */
    static void awaitBackgroundStores(FileStore<?> fileStore) throws SQLException {
        for (Field field : STORE_EXECUTORS) {
            ThreadPoolExecutor executor;
            try {
                executor = (ThreadPoolExecutor) field.get(fileStore);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            if (executor == null) {
                continue; // no write delay: every store runs on the committing thread
            }
            try {
                executor.submit(() -> { }).get();
            } catch (RejectedExecutionException e) {
                throw new SQLException("H2 is closing; the commit may not be on disk", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for H2's background store", e);
            } catch (ExecutionException e) {
                throw new SQLException(e.getCause());
            }
        }
    }
}

package dev.breakwater.store;

import dev.breakwater.support.H2Only;
import org.h2.mvstore.FileStore;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The race behind the kill -9 losses, held still with a latch instead of hoped for under load: a
 * background store is still writing pages when a flush begins. The flush must not fsync and
 * return (the caller would acknowledge) until that write is done.
 */
@H2Only
class DurableFlushTest {
    @Test
    void aFlushWaitsForABackgroundStoreThatIsStillWritingPages(@TempDir Path dir) throws Exception {
        // A write delay makes H2 store through its executors; a long one keeps its own background
        // thread out of the way, so this test makes the background store itself, with tryCommit.
        try (Connection connection = DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("db") + ";WRITE_DELAY=600000", "sa", "")) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY)");
            }
            MVStore store = DurableFlush.mvStore(connection);
            store.commit();
            ThreadPoolExecutor bufferSave = executor(store.getFileStore(), "bufferSaveExecutor");
            assertNotNull(bufferSave, "with a write delay H2 saves buffers on an executor of its own");
            CountDownLatch writing = new CountDownLatch(1);
            try {
                // Given a background store that took the latest commit and has not finished writing
                // it (a latch stands in for the slow write; tryCommit is what H2's write-delay thread calls).
                bufferSave.submit(() -> writing.await(30, TimeUnit.SECONDS));
                try (Statement statement = connection.createStatement()) {
                    statement.execute("INSERT INTO t VALUES (1)");
                }
                for (int attempt = 0; attempt < 100 && store.hasUnsavedChanges(); attempt++) {
                    store.tryCommit(); // gives up, without storing, if another store holds the lock
                }
                assertFalse(store.hasUnsavedChanges(), "the background store holds the insert, so a flush finds nothing unsaved");
                while (bufferSave.getQueue().isEmpty()) {
                    Thread.onSpinWait(); // until the background store has queued its write
                }

                // When a flush starts meanwhile.
                CompletableFuture<Void> flush = new CompletableFuture<>();
                Thread flusher = Thread.ofPlatform().start(() -> {
                    try {
                        DurableFlush.flush(connection);
                        flush.complete(null);
                    } catch (Exception e) {
                        flush.completeExceptionally(e);
                    }
                });
                while (!flush.isDone() && flusher.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait(); // until it returns, or parks (behind the write, if it waits)
                }

                // Then it waits for that write, and returns once it is done.
                assertFalse(flush.isDone(), "the flush returned while a background store was still writing");
                writing.countDown();
                flush.get(30, TimeUnit.SECONDS);
            } finally {
                writing.countDown(); // never leave H2's writer blocked, pass or fail
            }
        }
    }

    private static ThreadPoolExecutor executor(FileStore<?> fileStore, String name) throws ReflectiveOperationException {
        Field field = FileStore.class.getDeclaredField(name);
        field.setAccessible(true);
        return (ThreadPoolExecutor) field.get(fileStore);
    }
}

package dev.breakwater.store;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: one writer thread owns one connection, takes every transaction that is waiting
 * (up to {@link #MAX_GROUP}), runs each inside its own savepoint and commits them together; a
 * flusher thread then makes that commit durable (one fsync) and only then answers the callers.
 * A flush costs milliseconds whether it carries one transaction or a hundred, so under
 * concurrency it is shared instead of queued for. Nothing waits to fill a group: the writer takes
 * what arrived while it was busy, so a lone request pays one flush, as it would without grouping.
 * Under load, though, one flush starts at most every {@link #MIN_FLUSH_INTERVAL_NANOS} (PostgreSQL's
 * {@code commit_delay}, MySQL's {@code binlog_group_commit_sync_delay}): every H2 store rewrites
 * the half-filled last page of each index it touched, so back-to-back flushes of a few
 * transactions each spent a quarter of the CPU writing the same pages again, and produced the
 * garbage that compaction then had to rewrite.
 * <p>
 * The two threads form a pipeline: while one group is being flushed, the writer already runs the
 * next one, and the flusher's next fsync covers every group committed meanwhile. The price is a
 * window of a few milliseconds in which a committed group is visible to readers on other
 * connections before it is durable; no caller is answered inside that window.
 * <p>
 * Each caller keeps its own transaction semantics: a work that throws is rolled back to its
 * savepoint (its partial writes vanish, the group goes on) and its caller gets that same
 * exception at once; if the commit or the flush fails, every caller of the group gets that
 * failure. Works in one group run one after another on one connection, so they never wait for
 * each other's row locks, and a later work sees an earlier one's writes exactly as if the earlier
 * had committed first.
 */
final class GroupCommitWriter implements AutoCloseable {
    /** Enough to absorb every in-flight request of a busy node; a group this size still commits in milliseconds. */
    static final int MAX_GROUP = 256;
    /**
     * The shortest time from one flush's start to the next one's. Offered 2,532 payments/s (in
     * exploratory runs with smaller compaction steps) it cut the server's CPU from 78% to 62% of
     * two cores and the p99 from 30 to 27 ms; 2, 3, 4 and 6 ms gave 30, 27, 27 and 29 ms
     * (docs/performance.md). A flush after a quiet spell starts at once.
     */
    static final long MIN_FLUSH_INTERVAL_NANOS = 3_000_000;
    private static final System.Logger LOG = System.getLogger(GroupCommitWriter.class.getName());
    private static final Pending<Void> STOP = new Pending<>(c -> null);
    private static final List<Pending<?>> STOP_FLUSHING = new ArrayList<>();

    private final Connection connection;
    private final Connection flushConnection;
    /**
     * One savepoint name, set again before each work (a new savepoint replaces the old one of that
     * name), through statements prepared once. JDBC's {@code setSavepoint()} sends a new SQL text
     * each time ("SAVEPOINT SYSTEM_SAVEPOINT_n"), which H2 parses afresh: a few percent of the writer.
     */
    private final PreparedStatement setSavepoint;
    private final PreparedStatement rollbackToSavepoint;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    /** Committed groups waiting for a flush, in commit order. */
    private final BlockingQueue<List<Pending<?>>> committed = new LinkedBlockingQueue<>();
    /** Guards {@link #closed} against a late submit slipping in behind {@link #STOP}; never held while waiting. */
    private final ReentrantLock submitLock = new ReentrantLock();
    private final Runnable afterFlush;
    private final Thread writer;
    private final Thread flusher;
    private boolean closed;
    private long flushes;
    private long transactions;

    /**
     * Takes ownership of both connections: one runs the works, the other only flushes.
     * {@code afterFlush} runs on the flusher thread after each flush, once its callers are
     * answered: storage housekeeping paced by the writes. It must not throw.
     */
    GroupCommitWriter(Connection connection, Connection flushConnection, Runnable afterFlush) throws SQLException {
        this.connection = connection;
        this.flushConnection = flushConnection;
        this.afterFlush = afterFlush;
        connection.setAutoCommit(false);
        this.setSavepoint = connection.prepareStatement("SAVEPOINT one_work");
        this.rollbackToSavepoint = connection.prepareStatement("ROLLBACK TO SAVEPOINT one_work");
        this.writer = new Thread(this::write, "group-commit-writer");
        this.flusher = new Thread(this::flush, "group-commit-flusher");
        writer.setDaemon(true);
        flusher.setDaemon(true);
        writer.start();
        flusher.start();
    }

    <T> T write(Database.SqlWork<T> work) {
        if (Thread.currentThread() == writer) {
            // The writer would wait for itself: a write must not start another write.
            throw new IllegalStateException("Database.write called from inside a write; pass the connection down instead");
        }
        Pending<T> pending = new Pending<>(work);
        submitLock.lock();
        try {
            if (closed) {
                throw new StoreException(new SQLException("the database is closed", "08003"));
            }
            queue.add(pending);
        } finally {
            submitLock.unlock();
        }
        return pending.await();
    }

    /** Writes waiting for the writer thread (not counting the group it is running). */
    int queued() {
        return queue.size();
    }

    private void write() {
        List<Pending<?>> group = new ArrayList<>(MAX_GROUP);
        boolean stopping = false;
        while (!stopping) {
            group.add(takeUninterruptibly(queue));
            queue.drainTo(group, MAX_GROUP - 1);
            stopping = group.remove(STOP);
            if (!group.isEmpty()) {
                try {
                    List<Pending<?>> succeeded = runAndCommit(group);
                    if (!succeeded.isEmpty()) {
                        committed.add(succeeded);
                    }
                } catch (Throwable unexpected) {
                    // Whatever happened, no caller of this group may be left waiting forever.
                    LOG.log(Level.ERROR, "group commit: writer failed; failing its group", unexpected);
                    failAll(group, unexpected);
                }
            }
            group.clear();
        }
        committed.add(STOP_FLUSHING);
    }

    /** Runs each work in its own savepoint and commits the survivors; returns them, or nothing if the commit failed. */
    private List<Pending<?>> runAndCommit(List<Pending<?>> group) {
        List<Pending<?>> succeeded = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            Pending<?> pending = group.get(i);
            try {
                setSavepoint.execute();
            } catch (SQLException e) {
                return abort(succeeded, group.subList(i, group.size()), e);
            }
            try {
                pending.run(connection);
                succeeded.add(pending);
            } catch (Throwable failure) {
                try {
                    rollbackToSavepoint.execute();
                } catch (SQLException rollbackFailed) {
                    pending.fail(failure);
                    return abort(succeeded, group.subList(i + 1, group.size()), rollbackFailed);
                }
                // Nothing of this work remains, so its caller can hear about it before the others commit.
                pending.fail(failure);
            }
        }
        try {
            if (succeeded.isEmpty()) {
                connection.rollback();
            } else {
                connection.commit();
            }
            return succeeded;
        } catch (SQLException | RuntimeException e) {
            return abort(succeeded, List.of(), e);
        }
    }

    private List<Pending<?>> abort(List<Pending<?>> succeeded, List<Pending<?>> notRun, Throwable cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        failAll(succeeded, cause);
        failAll(notRun, cause);
        return List.of();
    }

    private void flush() {
        List<List<Pending<?>>> groups = new ArrayList<>();
        long lastFlushStart = System.nanoTime() - MIN_FLUSH_INTERVAL_NANOS;
        boolean stopping = false;
        while (!stopping) {
            groups.add(takeUninterruptibly(committed));
            // Busy: let the groups committed during the rest of the interval share this flush.
            long early = lastFlushStart + MIN_FLUSH_INTERVAL_NANOS - System.nanoTime();
            if (early > 0 && groups.get(0) != STOP_FLUSHING) {
                LockSupport.parkNanos(early);
            }
            committed.drainTo(groups);
            stopping = groups.removeIf(group -> group == STOP_FLUSHING);
            if (!groups.isEmpty()) {
                lastFlushStart = System.nanoTime();
                flushAndAnswer(groups);
            }
            groups.clear();
        }
    }

    private void flushAndAnswer(List<List<Pending<?>>> groups) {
        try {
            H2Engine.flushToDisk(flushConnection);
        } catch (Throwable e) {
            // Committed but not known to be on disk: not acknowledged. A retry replays what did land.
            LOG.log(Level.ERROR, "group commit: flush failed; failing the callers of the unflushed commits", e);
            groups.forEach(group -> failAll(group, e));
            return;
        }
        flushes++;
        for (List<Pending<?>> group : groups) {
            transactions += group.size();
            group.forEach(Pending::succeed);
        }
        afterFlush.run();
    }

    private static void failAll(List<Pending<?>> pendings, Throwable cause) {
        for (Pending<?> pending : pendings) {
            pending.fail(cause);
        }
    }

    /** Only {@link #close} stops these threads, and only once their queues are drained. */
    private static <E> E takeUninterruptibly(BlockingQueue<E> queue) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return queue.take();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Takes no new writes, commits and flushes every write already queued, then closes both connections. */
    @Override
    public void close() {
        submitLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        } finally {
            submitLock.unlock();
        }
        boolean interrupted = joinUninterruptibly(writer) | joinUninterruptibly(flusher);
        closeQuietly(connection);
        closeQuietly(flushConnection);
        if (transactions > 0) {
            LOG.log(Level.INFO, "group commit: {0} transactions made durable by {1} flushes", transactions, flushes);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "group commit: closing a connection failed", e);
        }
    }

    /** One caller's transaction, and the outcome its caller waits for. */
    private static final class Pending<T> {
        private final Database.SqlWork<T> work;
        private final CompletableFuture<T> outcome = new CompletableFuture<>();
        private T result;

        Pending(Database.SqlWork<T> work) {
            this.work = work;
        }

        void run(Connection connection) throws SQLException {
            result = work.run(connection);
        }

        void succeed() {
            outcome.complete(result);
        }

        void fail(Throwable failure) {
            outcome.completeExceptionally(failure);
        }

        /**
         * Waits for the outcome without giving up on interrupt: the transaction may still commit,
         * and the caller must not report a failure for a write that then lands.
         */
        T await() {
            try {
                return outcome.join();
            } catch (CompletionException e) {
                throw rethrow(e.getCause());
            }
        }

        /** The same exception a one-commit-per-call write would have thrown. */
        private static RuntimeException rethrow(Throwable failure) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure instanceof SQLException sql) {
                throw new StoreException(sql);
            }
            throw new IllegalStateException(failure);
        }
    }
}

package dev.breakwater.store;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The store every feature reads and writes through, on one of two engines chosen by
 * configuration: embedded H2 under the data directory (the default, see {@link H2Engine}) or a
 * shared PostgreSQL server that several nodes use at once (see {@link PostgresEngine}). Both run
 * the same Flyway migrations and the same SQL; they differ only in pooling and in how a commit
 * becomes durable.
 */
public final class Database implements AutoCloseable {
    /** How long {@link #isReachable} waits for the store to answer. */
    private static final int REACHABLE_TIMEOUT_SECONDS = 1;

    private final Engine engine;
    private volatile boolean closed;

    private Database(Engine engine) {
        this.engine = engine;
    }

    public static Database open(Path dataDir, int poolSize) {
        return open(dataDir, poolSize, WriteMode.GROUP);
    }

    /** Embedded H2 under {@code dataDir}. */
    public static Database open(Path dataDir, int poolSize, WriteMode writeMode) {
        return new Database(H2Engine.open(dataDir, poolSize, writeMode));
    }

    /** A PostgreSQL server; the write mode does not apply (every write is its own transaction). */
    public static Database open(PostgresConfig postgres, int poolSize) {
        return new Database(PostgresEngine.open(postgres, poolSize));
    }

    /** {@code h2} or {@code postgresql}. */
    public String engine() {
        return engine.name();
    }

    public DataSource dataSource() {
        return engine.dataSource();
    }

    public int activeConnections() {
        return engine.activeConnections();
    }

    public int maxConnections() {
        return engine.maxConnections();
    }

    /**
     * Whether the store answers a trivial query within about a second: false once closed, or
     * while its server is down. For readiness; a request never waits on it.
     */
    public boolean isReachable() {
        if (closed) {
            return false;
        }
        try (Connection connection = engine.dataSource().getConnection()) {
            return connection.isValid(REACHABLE_TIMEOUT_SECONDS);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Runs read-only work on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = engine.dataSource().getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs work in one transaction: all of it commits, or none of it, and it returns only once
     * the commit is durable. An exception from the work comes out unchanged (an SQLException
     * wrapped in a {@link StoreException}) and leaves no trace in the database. The work must be
     * short, must not call out of the process (the processor is called between transactions),
     * must not commit, roll back or close the connection, and must not call {@code write} again.
     * <p>
     * On H2 in {@link WriteMode#GROUP} the work runs on the group-commit writer's connection,
     * together with other callers' works: it sees their uncommitted writes as if they had
     * committed before it, and its own reads of other connections' data see only what was
     * committed. On PostgreSQL it runs on a pooled connection of its own, at READ COMMITTED.
     */
    public <T> T write(SqlWork<T> work) {
        return engine.write(work);
    }

    /** Writes waiting for the group-commit writer; always 0 in {@link WriteMode#NAIVE} and on PostgreSQL. */
    int queuedWrites() {
        return engine.queuedWrites();
    }

    /** Drains queued writes (H2) and closes the pool; afterwards the store is not {@link #isReachable}. */
    @Override
    public void close() {
        closed = true;
        engine.close();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}

package dev.breakwater.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded H2 store: file mode under the data directory, PostgreSQL compatibility mode (the
 * SQL must run on PostgreSQL too), a small HikariCP pool for reads, and Flyway migrations
 * applied at startup.
 * <p>
 * Durability is ours, not H2's: H2 stores a commit with a plain file write and never fsyncs it
 * (not even with {@code WRITE_DELAY=0}), which survives a kill -9 but not a power cut. So every
 * {@link #write} ends with a {@link DurableFlush} (store, wait for any background store, fsync)
 * before it returns, and in {@link WriteMode#GROUP} many concurrent writes share one commit and
 * one fsync. Each flush is followed by one small {@link Compaction} step, which keeps the file
 * bounded; H2's own
 * auto-compaction, which works in big stalling steps, is off. H2 keeps a write delay
 * ({@value #WRITE_DELAY_MS} ms) so that commits outside {@link #write} (the sandbox processor's
 * auto-commit inserts) are stored in the background instead of one store per commit.
 */
final class H2Engine implements Engine {
    /** H2's background store interval; acknowledged writes never wait for it. */
    static final int WRITE_DELAY_MS = 500;
    /**
     * How long H2 keeps a dead chunk before reusing its space: H2's default, 45 s. It was 1 s, as
     * every acknowledged commit is fsynced, which kept hundreds of megabytes of dead chunks out of
     * the file; but with 1 s the gateway's kill -9 storm (GatewayStormTest) lost an acknowledged
     * ledger row in 5 of 8 runs, and with 45 s in none of 4, so H2's recovery after a crash seems
     * to need the older chunks that a fast reuse overwrites (docs/performance.md, Storage).
     */
    static final int RETENTION_MS = 45000;
    private static final int QUERY_CACHE_SIZE = 64;
    /** How long a caller waits for a pooled connection before the store counts as unavailable. */
    private static final long CONNECTION_TIMEOUT_MS = 30_000;
    /**
     * H2's page cache, in KB (its default is 16 MB). Every page H2 writes enters this cache, so
     * under write load a 16 MB cache held each page about as long as the gap between two young
     * collections: many survived one and were copied, and each pause took ~15 ms. At 2-4 MB a
     * cached page is mostly gone before the next collection and pauses take ~5 ms (more of
     * them, about the same total). Reads that miss the cache come from the OS file cache.
     */
    private static final int PAGE_CACHE_KB = 4096;

    private final String url;
    private final HikariDataSource pool;
    private final GroupCommitWriter groupWriter;
    private final Compaction compaction;

    private H2Engine(String url, HikariDataSource pool, GroupCommitWriter groupWriter, Compaction compaction) {
        this.url = url;
        this.pool = pool;
        this.groupWriter = groupWriter;
        this.compaction = compaction;
    }

    static H2Engine open(Path dataDir, int poolSize, WriteMode writeMode) {
        // "retry:": H2's file system that reopens the file when an interrupt closed it. A thread
        // interrupted inside a FileChannel call closes the channel for every thread, and H2 then
        // gives up the whole store: one interrupted request would fail all the others.
        String url = "jdbc:h2:retry:" + dataDir.toAbsolutePath().resolve("breakwater")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";WRITE_DELAY=" + WRITE_DELAY_MS + ";RETENTION_TIME=" + RETENTION_MS
                // Compaction does this in small steps after each flush.
                + ";AUTO_COMPACT_FILL_RATE=0"
                // Parsed statements cached per connection: H2's default of 8 is fewer than the
                // distinct statements one payment runs, so the writer re-parsed most of them.
                + ";QUERY_CACHE_SIZE=" + QUERY_CACHE_SIZE
                + ";CACHE_SIZE=" + PAGE_CACHE_KB
                // Our shutdown hook drains the group-commit queue first, then shuts H2 down itself.
                + ";DB_CLOSE_ON_EXIT=FALSE";
        HikariDataSource pool = pool(url, poolSize);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            Compaction compaction;
            try (Connection connection = pool.getConnection()) {
                compaction = Compaction.of(connection);
            }
            // The group writer's connections are its own, outside the pool: reads keep every pooled one.
            GroupCommitWriter writer = writeMode == WriteMode.GROUP
                    ? new GroupCommitWriter(DriverManager.getConnection(url, "breakwater", ""),
                            DriverManager.getConnection(url, "breakwater", ""), compaction::step)
                    : null;
            return new H2Engine(url, pool, writer, compaction);
        } catch (SQLException e) {
            pool.close();
            throw new StoreException(e);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * HikariCP rather than H2's own {@code JdbcConnectionPool}: H2's pool rolls back every
     * connection it takes back, and a rollback clears the session's parsed-statement cache, so
     * every read re-parsed and re-planned its SELECT (21% of a {@code GET /v1/payments/{id}}'s
     * samples, docs/performance.md). Hikari rolls back only a connection left in a transaction.
     * An embedded connection does not go stale, so none is retired by age: H2 closes the
     * database with its last connection.
     */
    private static HikariDataSource pool(String url, int poolSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("breakwater-h2");
        hikari.setJdbcUrl(url);
        hikari.setUsername("breakwater");
        hikari.setPassword("");
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(poolSize);
        hikari.setMaxLifetime(0);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setAutoCommit(true);
        return new HikariDataSource(hikari);
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public int activeConnections() {
        HikariPoolMXBean bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getActiveConnections();
    }

    @Override
    public int maxConnections() {
        return pool.getMaximumPoolSize();
    }

    @Override
    public <T> T write(Database.SqlWork<T> work) {
        if (groupWriter != null) {
            return groupWriter.write(work);
        }
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                flushToDisk(connection);
                compaction.step();
                return result;
            } catch (Throwable t) {
                connection.rollback();
                throw t;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public int queuedWrites() {
        return groupWriter == null ? 0 : groupWriter.queued();
    }

    /** Stores every committed change and fsyncs the file (H2 specific: PostgreSQL syncs at commit). */
    static void flushToDisk(Connection connection) throws SQLException {
        DurableFlush.flush(connection);
    }

    /**
     * Drains and commits queued writes first, then shuts H2 down cleanly. The pool is disposed
     * before the shutdown, on a connection of its own: a pooled connection closed after the
     * shutdown is an error in H2's trace file.
     */
    @Override
    public void close() {
        if (groupWriter != null) {
            groupWriter.close();
        }
        try (Connection connection = DriverManager.getConnection(url, "breakwater", "");
             Statement statement = connection.createStatement()) {
            pool.close();
            statement.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // Already closed, or shutting down anyway: nothing left to flush.
            pool.close();
        }
    }
}

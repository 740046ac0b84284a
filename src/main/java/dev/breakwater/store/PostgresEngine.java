package dev.breakwater.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * PostgreSQL as the shared store of several stateless nodes: a HikariCP pool, the same Flyway
 * migrations as H2 (Flyway takes a PostgreSQL advisory lock while it migrates, so nodes starting
 * together apply each migration once), and one transaction per {@link #write} on a pooled
 * connection.
 * <p>
 * Durability is PostgreSQL's own: a commit returns once its WAL record is flushed
 * ({@code synchronous_commit = on}, set on every connection so a server default of {@code off}
 * cannot weaken it), and the server already lets concurrent commits share one WAL flush. So there
 * is no flush step, no group-commit writer and no compaction here; those are H2's.
 */
final class PostgresEngine implements Engine {
    /**
     * How long a request waits for a pooled connection (or a new one) before it fails. Shorter
     * than any client deadline, so a PostgreSQL outage turns into a quick error, never a hang.
     */
    static final long CONNECTION_TIMEOUT_MS = 3_000;
    private static final long VALIDATION_TIMEOUT_MS = 1_000;

    private final HikariDataSource pool;

    private PostgresEngine(HikariDataSource pool) {
        this.pool = pool;
    }

    static PostgresEngine open(PostgresConfig config, int poolSize) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("breakwater");
        hikari.setJdbcUrl(config.url());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(Math.min(poolSize, 2));
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        hikari.setValidationTimeout(VALIDATION_TIMEOUT_MS);
        hikari.setConnectionInitSql("SET synchronous_commit = on");
        hikari.setAutoCommit(true);
        HikariDataSource pool = new HikariDataSource(hikari); // fails fast if PostgreSQL is unreachable
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
            return new PostgresEngine(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "postgresql";
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
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Throwable t) {
                rollback(connection);
                throw t;
            }
            // No setAutoCommit(true) here: Hikari restores it when the connection returns, and on a
            // broken connection it would throw and hide the failure.
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** A failed rollback (the connection is gone) must not hide the failure that caused it. */
    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The server rolls back a transaction whose connection broke; Hikari evicts the connection.
        }
    }

    @Override
    public int queuedWrites() {
        return 0;
    }

    @Override
    public void close() {
        pool.close();
    }
}

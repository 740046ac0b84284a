package dev.breakwater.store;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The embedded H2 store: file mode under the data directory, PostgreSQL compatibility mode (the
 * SQL must run on PostgreSQL too), {@code WRITE_DELAY=0} so an acknowledged write survives a
 * kill -9, a small connection pool, and Flyway migrations applied at startup.
 */
public final class Database implements AutoCloseable {
    private final JdbcConnectionPool pool;

    private Database(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    public static Database open(Path dataDir, int poolSize) {
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("breakwater")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "breakwater", "");
        pool.setMaxConnections(poolSize);
        pool.setLoginTimeout(30);
        Flyway.configure().dataSource(pool).locations("classpath:db/migration").load().migrate();
        return new Database(pool);
    }

    public DataSource dataSource() {
        return pool;
    }

    public int activeConnections() {
        return pool.getActiveConnections();
    }

    public int maxConnections() {
        return pool.getMaxConnections();
    }

    /** Runs read-only work on a pooled connection in auto-commit mode. */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs work in one transaction: all of it commits, or none of it. The work must be short and
     * must not call out of the process (the processor is called between transactions).
     */
    public <T> T write(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
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
    public void close() {
        try (Connection connection = pool.getConnection()) {
            connection.createStatement().execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // Already closed, or shutting down anyway: nothing left to flush.
        }
        pool.dispose();
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}

package dev.breakwater.support;

import dev.breakwater.AppConfig;
import dev.breakwater.store.PostgresConfig;
import org.junit.jupiter.api.Assumptions;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Which store the tests run on, chosen for the whole run by the system property
 * {@code breakwater.test.store}: {@code h2} (the default: each test's own data directory) or
 * {@code postgresql} (each test's own fresh schema in one PostgreSQL database, dropped at close).
 * The pom runs the suite once per store, so the same tests hold the same server to both.
 * <p>
 * PostgreSQL is found at {@code breakwater.test.postgres.url} (default
 * {@value #DEFAULT_URL}) as {@code breakwater.test.postgres.user}/{@code .password} (default
 * breakwater/breakwater; {@code .ci/run} creates them). If it cannot be reached the tests that need it
 * are skipped, except under {@code CI=true}, where that is a failure: CI must never pass by skipping.
 */
public final class TestStore implements AutoCloseable {
    public static final String PROPERTY = "breakwater.test.store";
    static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/breakwater_test";

    private final PostgresConfig postgres;
    private final String schema;

    private TestStore(PostgresConfig postgres, String schema) {
        this.postgres = postgres;
        this.schema = schema;
    }

    /** Whether this run's store is PostgreSQL. */
    public static boolean isPostgres() {
        return "postgresql".equals(System.getProperty(PROPERTY, "h2").strip().toLowerCase(Locale.ROOT));
    }

    /** H2: nothing to prepare. PostgreSQL: a fresh, empty schema. */
    public static TestStore forThisRun() {
        return isPostgres() ? freshPostgresSchema() : new TestStore(null, null);
    }

    /** A fresh PostgreSQL schema whatever the run's store is (for tests that are about PostgreSQL). */
    public static TestStore freshPostgresSchema() {
        String url = System.getProperty("breakwater.test.postgres.url", DEFAULT_URL);
        String user = System.getProperty("breakwater.test.postgres.user", "breakwater");
        String password = System.getProperty("breakwater.test.postgres.password", "breakwater");
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            unavailable("PostgreSQL at " + url + " as " + user + ": " + e.getMessage());
        }
        String separator = url.contains("?") ? "&" : "?";
        return new TestStore(new PostgresConfig(url + separator + "currentSchema=" + schema, user, password), schema);
    }

    /** Skips the calling test, or fails it under CI=true, because a service it needs is missing. */
    public static void unavailable(String what) {
        String message = what + " is not available";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI=true: a missing service fails the run; .ci/run starts it)");
        }
        Assumptions.abort(message + "; skipped (start it with .ci/run's steps, see docs/scale-out.md)");
    }

    /** The config pointed at this store (unchanged for H2). */
    public AppConfig apply(AppConfig config) {
        return postgres == null ? config : config.withPostgres(postgres);
    }

    public PostgresConfig postgres() {
        return postgres;
    }

    @Override
    public void close() {
        if (postgres == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection(postgres.url(), postgres.user(), postgres.password());
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        } catch (SQLException ignored) {
            // A leftover schema is harmless; the next CI machine starts empty.
        }
    }
}

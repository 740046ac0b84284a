package dev.breakwater.store;

import javax.sql.DataSource;

/**
 * What differs between the stores {@link Database} can run on: how connections are pooled, how a
 * transaction becomes durable and how the store shuts down. The SQL above this line is the same
 * on both (the migrations and the feature stores are written for H2's PostgreSQL mode and for
 * PostgreSQL itself).
 */
interface Engine {
    /** A short name for logs, metrics and readiness: {@code h2} or {@code postgresql}. */
    String name();

    DataSource dataSource();

    int activeConnections();

    int maxConnections();

    /** {@link Database#write}: all or nothing, and durable before it returns. */
    <T> T write(Database.SqlWork<T> work);

    /** Writes waiting to be committed together; 0 where every write commits on its own. */
    int queuedWrites();

    void close();
}

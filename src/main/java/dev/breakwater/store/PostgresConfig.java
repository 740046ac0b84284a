package dev.breakwater.store;

import dev.breakwater.common.Env;

/**
 * Where the shared PostgreSQL store is: a JDBC URL ({@code jdbc:postgresql://host:port/db}, which
 * may carry driver options such as {@code currentSchema}) and the credentials to use.
 */
public record PostgresConfig(String url, String user, String password) {
    static final String PREFIX = "jdbc:postgresql:";
    /** The role used when BREAKWATER_DATABASE_URL is set without BREAKWATER_DATABASE_USER. */
    public static final String DEFAULT_USER = "breakwater";

    public PostgresConfig {
        if (url == null || !url.startsWith(PREFIX)) {
            throw new IllegalArgumentException("BREAKWATER_DATABASE_URL must be a JDBC PostgreSQL URL ("
                    + PREFIX + "//host:5432/database), got '" + url + "'");
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("BREAKWATER_DATABASE_USER is required with BREAKWATER_DATABASE_URL");
        }
        password = password == null ? "" : password;
    }

    /** Null when {@code BREAKWATER_DATABASE_URL} is not set: the store is then embedded H2. */
    public static PostgresConfig fromEnv(Env env) {
        String url = env.string("BREAKWATER_DATABASE_URL", null);
        String user = env.string("BREAKWATER_DATABASE_USER", DEFAULT_USER);
        String password = env.string("BREAKWATER_DATABASE_PASSWORD", null);
        return url == null ? null : new PostgresConfig(url, user, password);
    }

    /** The password stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "PostgresConfig[url=" + url + ", user=" + user + "]";
    }
}

package dev.breakwater.store;

/**
 * Where the shared PostgreSQL store is: a JDBC URL ({@code jdbc:postgresql://host:port/db}, which
 * may carry driver options such as {@code currentSchema}) and the credentials to use.
 */
public record PostgresConfig(String url, String user, String password) {
    static final String PREFIX = "jdbc:postgresql:";

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

    /** The password stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "PostgresConfig[url=" + url + ", user=" + user + "]";
    }
}

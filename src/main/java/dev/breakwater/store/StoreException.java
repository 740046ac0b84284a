package dev.breakwater.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database failure nobody can fix by changing the request: it becomes a 500. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }

    public boolean isUniqueViolation() {
        return "23505".equals(sqlException().getSQLState());
    }

    /**
     * The store cannot be reached now (PostgreSQL restarting or unreachable, no pooled connection
     * within the pool's timeout): SQLSTATE class 08 (connection exception) or 57P (the server is
     * shutting down or starting). A retry a moment later may well succeed, so this is a 503 with
     * Retry-After, not a 500.
     */
    public boolean isUnavailable() {
        SQLException e = sqlException();
        String state = e.getSQLState();
        return e instanceof SQLTransientConnectionException
                || state != null && (state.startsWith("08") || state.startsWith("57P"));
    }
}

package dev.breakwater.store;

import java.sql.SQLException;

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
}

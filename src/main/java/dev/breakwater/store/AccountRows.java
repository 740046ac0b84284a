package dev.breakwater.store;

import dev.breakwater.domain.DomainException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads one row of an account-scoped table by id: the query every store's {@code get} runs.
 * Another account's row is reported exactly like a missing one, so ids never leak across accounts.
 */
public record AccountRows(String table, String columns, String kind) {

    public <T> T get(Connection c, String accountId, String id, boolean forUpdate, KeysetQuery.RowMapper<T> mapper)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + table
                + " WHERE id = ? AND account_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DomainException.NotFound(kind, id);
                }
                return mapper.map(rs);
            }
        }
    }

    public boolean exists(Connection c, String accountId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ? AND account_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The newest-first page query over this table's columns, for {@code list} and its plan tests. */
    public KeysetQuery newestFirst(String accountId, Long before, int limit) {
        return KeysetQuery.newestFirst(table, columns, accountId, before, limit);
    }
}

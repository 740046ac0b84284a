package dev.breakwater.customers;

import dev.breakwater.common.Json;
import dev.breakwater.store.AccountRows;
import dev.breakwater.store.KeysetQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The customers table. Every query, the update included, is scoped by account: another
 * account's row does not exist. {@link #exists} is the port other features (payments) use.
 */
public final class Customers {
    private static final AccountRows ROWS = new AccountRows("customers",
            "id, created, email, name, description, metadata, version, seq", "customer");

    public boolean exists(Connection c, String accountId, String id) throws SQLException {
        return ROWS.exists(c, accountId, id);
    }

    Customer insert(Connection c, String accountId, Customer customer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO customers (id, account_id, created, email, name, description, metadata, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, customer.id());
            ps.setString(2, accountId);
            ps.setLong(3, customer.created());
            ps.setString(4, customer.email());
            ps.setString(5, customer.name());
            ps.setString(6, customer.description());
            ps.setString(7, Json.writeString(customer.metadata()));
            ps.setInt(8, customer.version());
            ps.executeUpdate();
        }
        return get(c, accountId, customer.id(), false);
    }

    Customer get(Connection c, String accountId, String id, boolean forUpdate) throws SQLException {
        return ROWS.get(c, accountId, id, forUpdate, Customers::map);
    }

    /** Stores {@code changed} as the next version; the caller holds the row lock. */
    Customer update(Connection c, String accountId, Customer changed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE customers SET email = ?, name = ?, description = ?, metadata = ?, version = version + 1
                WHERE id = ? AND account_id = ?""")) {
            ps.setString(1, changed.email());
            ps.setString(2, changed.name());
            ps.setString(3, changed.description());
            ps.setString(4, Json.writeString(changed.metadata()));
            ps.setString(5, changed.id());
            ps.setString(6, accountId);
            ps.executeUpdate();
        }
        return changed.nextVersion();
    }

    List<Customer> list(Connection c, String accountId, Long before, int limit) throws SQLException {
        return listQuery(accountId, before, limit).run(c, Customers::map);
    }

    /** The exact query {@link #list} runs (index {@code (account_id, seq)}), for plan tests. */
    static KeysetQuery listQuery(String accountId, Long before, int limit) {
        return ROWS.newestFirst(accountId, before, limit);
    }

    private static Customer map(ResultSet rs) throws SQLException {
        return new Customer(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Json.metadata(rs.getString(6)), rs.getInt(7), rs.getLong(8));
    }
}

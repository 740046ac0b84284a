package dev.breakwater.customers;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.breakwater.domain.DomainException;
import dev.breakwater.common.Json;
import dev.breakwater.store.KeysetQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The customers table. Every query is scoped by account: another account's row does not exist. */
public final class Customers {
    private static final String COLUMNS = "id, created, email, name, description, metadata, version, seq";
    static final TypeReference<LinkedHashMap<String, String>> METADATA = new TypeReference<>() {
    };

    public Customer insert(Connection c, String accountId, String id, long created, String email, String name,
                           String description, Map<String, String> metadata) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO customers (id, account_id, created, email, name, description, metadata, version)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1)""")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            ps.setLong(3, created);
            ps.setString(4, email);
            ps.setString(5, name);
            ps.setString(6, description);
            ps.setString(7, Json.writeString(metadata));
            ps.executeUpdate();
        }
        return get(c, accountId, id, false);
    }

    public Customer get(Connection c, String accountId, String id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM customers WHERE id = ? AND account_id = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new DomainException.NotFound("customer", id);
                }
                return map(rs);
            }
        }
    }

    public boolean exists(Connection c, String accountId, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM customers WHERE id = ? AND account_id = ?")) {
            ps.setString(1, id);
            ps.setString(2, accountId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    public Customer update(Connection c, Customer changed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE customers SET email = ?, name = ?, description = ?, metadata = ?, version = version + 1
                WHERE id = ?""")) {
            ps.setString(1, changed.email());
            ps.setString(2, changed.name());
            ps.setString(3, changed.description());
            ps.setString(4, Json.writeString(changed.metadata()));
            ps.setString(5, changed.id());
            ps.executeUpdate();
        }
        return new Customer(changed.id(), changed.created(), changed.email(), changed.name(), changed.description(),
                changed.metadata(), changed.version() + 1, changed.seq());
    }

    public List<Customer> list(Connection c, String accountId, Long before, int limit) throws SQLException {
        return listQuery(accountId, before, limit).run(c, Customers::map);
    }

    /** The exact query {@link #list} runs (index {@code (account_id, seq)}), for plan tests. */
    static KeysetQuery listQuery(String accountId, Long before, int limit) {
        return KeysetQuery.newestFirst("customers", COLUMNS, accountId, before, limit);
    }

    private static Customer map(ResultSet rs) throws SQLException {
        return new Customer(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
                Json.read(rs.getString(6), METADATA), rs.getInt(7), rs.getLong(8));
    }
}

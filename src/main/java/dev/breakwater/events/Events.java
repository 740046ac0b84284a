package dev.breakwater.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.domain.Ids;
import dev.breakwater.common.Json;
import dev.breakwater.store.AccountRows;
import dev.breakwater.store.KeysetQuery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The event feed's table. {@link #append} takes the caller's connection so an event commits in
 * the same transaction as the change it describes: no event without its change, and the reverse.
 */
public final class Events {
    private static final AccountRows ROWS = new AccountRows("events", "id, created, type, data, seq", "event");

    public void append(Connection c, String accountId, long created, String type, Object snapshot) throws SQLException {
        ObjectNode data = Json.object();
        data.set("object", Json.MAPPER.valueToTree(snapshot));
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO events (id, account_id, created, type, data) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, Ids.next(Ids.EVENT));
            ps.setString(2, accountId);
            ps.setLong(3, created);
            ps.setString(4, type);
            ps.setString(5, Json.writeString(data));
            ps.executeUpdate();
        }
    }

    Event get(Connection c, String accountId, String id) throws SQLException {
        return ROWS.get(c, accountId, id, false, Events::map);
    }

    /** Newest first, strictly before {@code before} when given; {@code type} optional. */
    List<Event> list(Connection c, String accountId, String type, Long before, int limit) throws SQLException {
        return listQuery(accountId, type, before, limit).run(c, Events::map);
    }

    /** The exact query {@link #list} runs (index {@code (account_id, [type,] seq)}), for plan tests. */
    static KeysetQuery listQuery(String accountId, String type, Long before, int limit) {
        return ROWS.newestFirst(accountId, before, limit)
                .where("type", type);
    }

    private static Event map(ResultSet rs) throws SQLException {
        return new Event(rs.getString(1), rs.getLong(2), rs.getString(3), Json.parse(rs.getString(4)), rs.getLong(5));
    }
}

package dev.breakwater.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One page of an account's rows, newest first, strictly below a cursor position: the only shape
 * of list query the stores run. Its SQL is
 * {@code SELECT .. WHERE account_id = ? [AND f = ?].. [AND seq < ?]
 * ORDER BY account_id DESC, [f DESC,].. seq DESC FETCH FIRST ? ROWS ONLY}, and it must be served
 * by an index on {@code (account_id, f.., seq)} with the filters in the same order.
 *
 * <p>The ORDER BY repeats the equality columns although they are constant in the result. H2
 * (2.4 and 2.5) only reads an index in order, forwards or backwards, when the ORDER BY starts with that
 * index's leading columns; with {@code ORDER BY seq DESC} alone it reads every row of the account
 * below the cursor and sorts them: a 10-row first page over 1,000,000 payments read 1,000,001 rows
 * instead of 11 (docs/pagination.md). PostgreSQL plans both forms as the same backward index scan.
 *
 * @param filters equality filters in index column order; a filter with a null value is left out
 */
public record KeysetQuery(String table, String columns, String accountId, List<Filter> filters, Long before,
                          int limit) {

    /** {@code column = value}; the column name is a constant of the store, the value is bound. */
    public record Filter(String column, String value) {
    }

    public KeysetQuery {
        filters = List.copyOf(filters);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** The newest {@code limit} rows of {@code accountId} with {@code seq < before} (all rows when null). */
    public static KeysetQuery newestFirst(String table, String columns, String accountId, Long before, int limit) {
        return new KeysetQuery(table, columns, accountId, List.of(), before, limit);
    }

    /** Adds {@code column = value} unless {@code value} is null. Add filters in the index's column order. */
    public KeysetQuery where(String column, String value) {
        if (value == null) {
            return this;
        }
        List<Filter> more = new ArrayList<>(filters);
        more.add(new Filter(column, value));
        return new KeysetQuery(table, columns, accountId, more, before, limit);
    }

    public String sql() {
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(table)
                .append(" WHERE account_id = ?");
        filters.forEach(f -> sql.append(" AND ").append(f.column()).append(" = ?"));
        if (before != null) {
            sql.append(" AND seq < ?");
        }
        sql.append(" ORDER BY ");
        Stream.concat(Stream.of("account_id"), filters.stream().map(Filter::column))
                .forEach(column -> sql.append(column).append(" DESC, "));
        return sql.append("seq DESC FETCH FIRST ? ROWS ONLY").toString();
    }

    /** Binds the parameters of {@link #sql()}, which may be prefixed (e.g. with {@code EXPLAIN ANALYZE}). */
    public void bind(PreparedStatement ps) throws SQLException {
        int i = 1;
        ps.setString(i++, accountId);
        for (Filter filter : filters) {
            ps.setString(i++, filter.value());
        }
        if (before != null) {
            ps.setLong(i++, before);
        }
        ps.setInt(i, limit);
    }

    public <T> List<T> run(Connection c, RowMapper<T> mapper) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql())) {
            bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
            return out;
        }
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }
}

package dev.breakwater.support;

import dev.breakwater.store.KeysetQuery;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * H2's {@code EXPLAIN ANALYZE} of a store's real keyset query: which index it read, whether the
 * index delivered the order (no sort step), and how many rows it read to produce the page.
 */
public record QueryPlan(String text) {
    private static final Pattern SCAN_COUNT = Pattern.compile("/\\* scanCount: (\\d+) \\*/");

    public static QueryPlan explainAnalyze(DataSource dataSource, KeysetQuery query) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN ANALYZE " + query.sql())) {
            query.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new QueryPlan(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows read from the index, summed over the plan. */
    public long scanCount() {
        Matcher m = SCAN_COUNT.matcher(text);
        long total = 0;
        boolean found = false;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no scanCount in plan:\n" + text);
        }
        return total;
    }

    /** The index the rows were read from, as H2 names it ({@code public.<index>:}). */
    public boolean reads(String index) {
        return text.contains("public." + index + ":") || text.contains("public." + index + " ");
    }

    /** True when rows come out of the index already in ORDER BY order (no sort of the whole range). */
    public boolean indexSorted() {
        return text.contains("/* index sorted */");
    }

    @Override
    public String toString() {
        return text;
    }
}

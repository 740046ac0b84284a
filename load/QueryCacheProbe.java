/**
 * Why H2 behind its own JdbcConnectionPool re-parsed every read (docs/evidence/read-ab.md): the
 * same SELECT by primary key on an in-memory H2, 100,000 times each, on one held connection, on
 * one connection with a rollback after each query, through the pool (which rolls back on close),
 * and the checkout alone. A rollback empties the session's parsed-statement cache. One thread,
 * in memory, a few seconds:
 *
 *   ./mvnw -q -B -Dmaven.test.skip=true package
 *   java -cp target/breakwater.jar load/QueryCacheProbe.java
 */
import org.h2.jdbcx.JdbcConnectionPool;
import java.sql.*;
public class QueryCacheProbe {
  public static void main(String[] a) throws Exception {
    String url = "jdbc:h2:mem:qc;QUERY_CACHE_SIZE=64;MODE=PostgreSQL";
    JdbcConnectionPool pool = JdbcConnectionPool.create(url, "sa", "");
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t(id VARCHAR PRIMARY KEY, account_id VARCHAR, v VARCHAR)");
      s.execute("INSERT INTO t VALUES ('a','acct','x')");
    }
    String sql = "SELECT id, account_id, v FROM t WHERE id = ? AND account_id = ?";
    for (int round = 0; round < 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 100_000; i++) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, "a"); ps.setString(2, "acct");
          try (ResultSet rs = ps.executeQuery()) { rs.next(); }
        }
      }
      long t1 = System.nanoTime();
      try (Connection c = pool.getConnection()) {
        for (int i = 0; i < 100_000; i++) {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "a"); ps.setString(2, "acct");
            try (ResultSet rs = ps.executeQuery()) { rs.next(); }
          }
        }
      }
      long t2 = System.nanoTime();
      long r0 = System.nanoTime();
      try (Connection c = pool.getConnection()) {
        for (int i = 0; i < 100_000; i++) {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "a"); ps.setString(2, "acct");
            try (ResultSet rs = ps.executeQuery()) { rs.next(); }
          }
          c.rollback();
        }
      }
      System.out.printf("one connection + rollback %.2f us; ", (System.nanoTime()-r0)/1e5/1000);
      long t3 = System.nanoTime();
      for (int i = 0; i < 100_000; i++) { try (Connection c = pool.getConnection()) { } }
      long t4 = System.nanoTime();
      System.out.printf("checkout only %.2f us; ", (t4-t3)/1e5/1000);
      System.out.printf("pool per query %.2f us, one connection %.2f us%n", (t1-t0)/1e5/1000, (t2-t1)/1e5/1000);
    }
  }
}

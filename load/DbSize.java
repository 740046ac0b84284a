import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Live data size of a stopped Breakwater database: copies {@code breakwater.mv.db} to a temp
 * folder, counts the rows, then runs {@code SHUTDOWN COMPACT} on the copy, which rewrites it to
 * live data only. The compacted size is the "live data" the soak compares the real file with.
 *   java -cp target/breakwater.jar load/DbSize.java DATA_DIR
 */
public class DbSize {
    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]).resolve("breakwater.mv.db");
        Path copyDir = Files.createTempDirectory("breakwater-dbsize");
        Path copy = copyDir.resolve("breakwater.mv.db");
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        String url = "jdbc:h2:file:" + copyDir.resolve("breakwater") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
        StringBuilder out = new StringBuilder("DBSIZE file_bytes=" + Files.size(source));
        try (Connection c = DriverManager.getConnection(url, "breakwater", "");
             Statement s = c.createStatement()) {
            for (String table : new String[] {"payments", "events", "idempotency_keys", "sandbox_operations"}) {
                try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    out.append(' ').append(table).append('=').append(rs.getLong(1));
                }
            }
            s.execute("SHUTDOWN COMPACT");
        }
        long live = Files.size(copy);
        out.append(" live_bytes=").append(live)
                .append(String.format(" file_to_live=%.2f", (double) Files.size(source) / live));
        System.out.println(out);
        Files.deleteIfExists(copy);
        Files.deleteIfExists(copyDir.resolve("breakwater.trace.db"));
        Files.deleteIfExists(copyDir);
    }
}

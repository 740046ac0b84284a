import org.h2.mvstore.MVStoreTool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Live data size of a stopped Breakwater database, two ways, each on its own copy of
 * {@code breakwater.mv.db}:
 * <ul>
 *   <li>{@code live_bytes}: the same store rewritten with only its live pages and nothing else
 *       changed ({@code MVStoreTool.compact(file, compress=false)}): the data in the format the
 *       server writes, which is what the running file is compared with ({@code file_to_live});</li>
 *   <li>{@code live_compressed_bytes}: after {@code SHUTDOWN COMPACT}, which in H2 2.x also
 *       compresses every page (LZF); smaller than anything the server writes, reported for
 *       comparison ({@code file_to_live_compressed}).</li>
 * </ul>
 *   java -cp target/breakwater.jar load/DbSize.java DATA_DIR
 */
public class DbSize {
    public static void main(String[] args) throws Exception {
        Path source = Path.of(args[0]).resolve("breakwater.mv.db");
        long fileBytes = Files.size(source);
        StringBuilder out = new StringBuilder("DBSIZE file_bytes=" + fileBytes);

        Path sameFormat = Files.createTempDirectory("breakwater-dbsize");
        Path plainCopy = sameFormat.resolve("breakwater.mv.db");
        Files.copy(source, plainCopy, StandardCopyOption.REPLACE_EXISTING);
        MVStoreTool.compact(plainCopy.toString(), false);
        long live = Files.size(plainCopy);

        Path compressed = Files.createTempDirectory("breakwater-dbsize");
        Path compressedCopy = compressed.resolve("breakwater.mv.db");
        Files.copy(source, compressedCopy, StandardCopyOption.REPLACE_EXISTING);
        String url = "jdbc:h2:file:" + compressed.resolve("breakwater") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
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
        long liveCompressed = Files.size(compressedCopy);

        out.append(" live_bytes=").append(live)
                .append(String.format(" file_to_live=%.2f", (double) fileBytes / live))
                .append(" live_compressed_bytes=").append(liveCompressed)
                .append(String.format(" file_to_live_compressed=%.2f", (double) fileBytes / liveCompressed));
        System.out.println(out);
        for (Path dir : new Path[] {sameFormat, compressed}) {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}

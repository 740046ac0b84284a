import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;

/**
 * Shows that H2 with WRITE_DELAY=0 writes each commit but does not fsync it: run under strace and
 * compare the fsync count for 0, 200 and 1000 commits (see docs/performance.md).
 *   strace -f -e trace=fsync,fdatasync,pwrite64 -c java -cp h2.jar load/FsyncProbe.java 1000
 */
public class FsyncProbe {
    public static void main(String[] a) throws Exception {
        String url = "jdbc:h2:file:" + System.getProperty("java.io.tmpdir") + "/fsync-probe-" + System.nanoTime()
                + ";WRITE_DELAY=0";
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
            c.setAutoCommit(false);
            System.out.println("START");
            Thread.sleep(1500);
            int n = Integer.parseInt(a[0]);
            for (int i = 0; i < n; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, 'x')")) {
                    ps.setInt(1, i);
                    ps.executeUpdate();
                }
                c.commit();
            }
            System.out.println("DONE " + n + " commits");
            Thread.sleep(1500);
        }
    }
}

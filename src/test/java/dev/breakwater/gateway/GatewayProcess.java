package dev.breakwater.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The processor gateway in a child JVM, started as {@code ./run.sh processor} starts it
 * ({@link GatewayMain}, configured by the environment, both ports 0), so a test can kill it
 * with -9 and start it again on the same ledger.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING =
            Pattern.compile("Processor gateway listening on grpc://127\\.0\\.0\\.1:(\\d+) and http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path log;
    private final int grpcPort;

    private GatewayProcess(Process process, Path log) throws Exception {
        this.process = process;
        this.log = log;
        this.grpcPort = awaitPort();
    }

    static GatewayProcess start(Path dataDir, Map<String, String> faults, Path log) throws Exception {
        Files.createDirectories(dataDir);
        Files.createDirectories(log.toAbsolutePath().getParent());
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx192m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("BREAKWATER_BIND", "127.0.0.1");
        env.put("BREAKWATER_GATEWAY_GRPC_PORT", "0");
        env.put("BREAKWATER_GATEWAY_HTTP_PORT", "0");
        env.put("BREAKWATER_DATA_DIR", dataDir.toString());
        env.putAll(faults);
        return new GatewayProcess(builder.start(), log);
    }

    int grpcPort() {
        return grpcPort;
    }

    /** kill -9: no shutdown hook, no flush; only what the ledger already fsynced survives. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() <= 3000 ? text : text.substring(text.length() - 3000);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** A clean stop (SIGTERM: the shutdown hook closes the ledger), so the test can open the ledger itself. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private int awaitPort() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the gateway exited with " + process.exitValue() + ":\n" + logTail());
            }
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            Thread.sleep(20);
        }
        process.destroyForcibly();
        throw new AssertionError("the gateway did not start within 60 s:\n" + logTail());
    }
}

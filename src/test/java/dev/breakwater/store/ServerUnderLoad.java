package dev.breakwater.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.common.Json;
import dev.breakwater.http.ServerProvider;
import dev.breakwater.http.ratelimit.RateLimitConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real server in a child JVM, started as an operator starts it ({@code Main}, configured by
 * the environment), with payment clients posting new payments until it stops answering. What the
 * clients saw is kept: every acknowledged payment by its Idempotency-Key, and every answer that
 * was neither a 201 nor a refused or cut-off connection.
 */
final class ServerUnderLoad implements AutoCloseable {
    static final String SECRET = "sk_test_stop_account_01234567890";
    static final String ACCOUNT = "acct_stop";
    private static final String BODY = """
            {"amount": 1250, "currency": "usd", "payment_method": "pm_card_visa", "description": "stop test"}""";
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+) .*HTTP server: (\\w+)");
    private static final int CLIENTS = 32;

    private final Path dataDir;
    private final Path log;
    private final Process process;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean paying = new AtomicBoolean(true);
    private final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> loops = new ArrayList<>();

    private ServerUnderLoad(Path dataDir, Process process, Path log) {
        this.dataDir = dataDir;
        this.process = process;
        this.log = log;
    }

    /** Starts the server on {@code dataDir} in the given write mode and {@value #CLIENTS} paying clients. */
    static ServerUnderLoad start(Path dataDir, WriteMode writeMode) throws Exception {
        Path log = dataDir.resolve("server.log");
        ServerUnderLoad server = new ServerUnderLoad(dataDir, startProcess(dataDir, writeMode, log), log);
        try {
            int port = server.awaitPort();
            for (int i = 0; i < CLIENTS; i++) {
                server.loops.add(server.clients.submit(() -> server.payUntilRefused(port)));
            }
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    Process process() {
        return process;
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** The end of the server's log, for a failure message. */
    String logTail() {
        return tail(log);
    }

    /** The last few thousand characters of a file, or why it could not be read. */
    static String tail(Path file) {
        try {
            String text = Files.readString(file);
            return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Waits until the load is in full swing: the JVM warm, the writer taking full groups. */
    void awaitAcknowledged(int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("only " + acknowledged.size() + " payments acknowledged in 60 s:\n" + log());
            }
            Thread.sleep(10);
        }
    }

    /** Stops the clients (each ends at its next refused connection or after its current answer). */
    void stopPaying() throws Exception {
        paying.set(false);
        for (Future<?> loop : loops) {
            loop.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
    }

    /** Every payment whose 201 reached a client: its Idempotency-Key and the payment's id. */
    Map<String, String> acknowledged() {
        return acknowledged;
    }

    /** Every answer that was neither a 201 nor a refused or cut-off connection. */
    List<String> unexpectedAnswers() {
        synchronized (unexpected) {
            return List.copyOf(unexpected);
        }
    }

    /**
     * Restarts the server in-process on the same data and checks that every acknowledged payment
     * is stored with its idempotency record and replays for its key; returns how many are stored.
     */
    int assertEveryAcknowledgedPaymentSurvives() throws Exception {
        AppConfig config = AppConfig.defaults(dataDir).withApiKeys(Map.of(SECRET, ACCOUNT))
                .withRateLimits(RateLimitConfig.DEFAULTS.withWrites(100_000, 1).withMaxInFlightPerAccount(CLIENTS * 2));
        try (App.Running restarted = App.start(config)) {
            Map<String, String> stored = storedPayments(restarted);
            for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                assertEquals(ack.getValue(), stored.get(ack.getKey()),
                        "payment acknowledged for key " + ack.getKey() + " is missing or differs after the restart");
            }
            assertEveryKeyReplays(restarted.port());
            return stored.size();
        }
    }

    @Override
    public void close() {
        paying.set(false);
        process.destroyForcibly();
        clients.shutdownNow();
    }

    /** One client: new payments with fresh keys until the server stops answering. */
    private void payUntilRefused(int port) {
        while (paying.get()) {
            String key = UUID.randomUUID().toString();
            try {
                HttpResponse<String> response = client.send(payment(port, key), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    acknowledged.put(key, Json.parse(response.body()).get("id").asText());
                } else {
                    unexpected.add(response.statusCode() + " " + response.body());
                }
            } catch (IOException refusedOrCutOff) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void assertEveryKeyReplays(int port) throws Exception {
        try (ExecutorService retries = Executors.newFixedThreadPool(8)) {
            List<Future<String>> problems = new ArrayList<>();
            for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                problems.add(retries.submit(() -> {
                    HttpResponse<String> replay = client.send(payment(port, ack.getKey()), HttpResponse.BodyHandlers.ofString());
                    JsonNode body = Json.parse(replay.body());
                    boolean replayed = replay.statusCode() == 201
                            && "true".equals(replay.headers().firstValue("Idempotent-Replayed").orElse(null))
                            && ack.getValue().equals(body.path("id").asText());
                    return replayed ? null : "key " + ack.getKey() + ": " + replay.statusCode() + " " + replay.headers().map()
                            + " " + replay.body();
                }));
            }
            for (Future<String> problem : problems) {
                String failure = problem.get(60, TimeUnit.SECONDS);
                if (failure != null) {
                    fail("an acknowledged payment was not replayed after the restart: " + failure);
                }
            }
        }
    }

    private static Map<String, String> storedPayments(App.Running app) throws Exception {
        Map<String, String> byKey = new HashMap<>();
        try (Connection c = app.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT k.idempotency_key, p.id FROM idempotency_keys k JOIN payments p ON p.id = k.resource_id
                     WHERE k.account_id = ? AND k.response_status = 201""")) {
            ps.setString(1, ACCOUNT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byKey.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return byKey;
    }

    private static HttpRequest payment(int port, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/payments"))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + SECRET)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
    }

    private static Process startProcess(Path dataDir, WriteMode writeMode, Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.breakwater.Main")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PORT", "0");
        env.put("BREAKWATER_BIND", "127.0.0.1");
        env.put("BREAKWATER_DATA_DIR", dataDir.toString());
        env.put("BREAKWATER_API_KEYS", ACCOUNT + ":" + SECRET);
        env.put("BREAKWATER_WRITE_MODE", writeMode.name().toLowerCase(Locale.ROOT));
        // The child serves on this run's provider, so each pass proves its own provider's stop.
        env.put(ServerProvider.VARIABLE, ServerProvider.ofProcess().name().toLowerCase(Locale.ROOT));
        // These tests are about stopping under write load, not throttling: lift the account's limits.
        env.put("BREAKWATER_RATELIMIT_MAX_IN_FLIGHT", String.valueOf(CLIENTS * 2));
        env.put("BREAKWATER_RATELIMIT_WRITES_QUOTA", "100000");
        return builder.start();
    }

    private int awaitPort() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + ":\n" + log());
            }
            Matcher listening = LISTENING.matcher(log());
            if (listening.find()) {
                assertEquals(ServerProvider.ofProcess().name().toLowerCase(Locale.ROOT), listening.group(2),
                        "the child serves on another provider than this pass");
                return Integer.parseInt(listening.group(1));
            }
            Thread.sleep(50);
        }
        return fail("the server did not start within 60 s:\n" + log());
    }
}

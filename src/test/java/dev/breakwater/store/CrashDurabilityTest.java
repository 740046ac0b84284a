package dev.breakwater.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.http.ratelimit.RateLimitConfig;
import dev.breakwater.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import java.util.HashMap;
import java.util.List;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real server in a child JVM takes a burst of concurrent payments and is killed with
 * SIGKILL in the middle of it; restarted on the same data, it must still have every payment
 * whose 201 reached a client, and replay it for its Idempotency-Key.
 */
class CrashDurabilityTest {
    private static final String SECRET = "sk_test_crash_account_0123456789";
    private static final String ACCOUNT = "acct_crash";
    private static final String BODY = """
            {"amount": 1250, "currency": "usd", "payment_method": "pm_card_visa", "description": "crash test"}""";
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final int CLIENTS = 32;
    /** Enough acknowledged payments that the JVM is warm and the writer is taking full groups. */
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dataDir;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void everyAcknowledgedPaymentSurvivesKillDashNineWithItsIdempotencyRecord() throws Exception {
        // given: the server in its own JVM, under concurrent payment load
        Path log = dataDir.resolve("server.log");
        Process server = startServer(log);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        try {
            int port = awaitPort(server, log);
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<?>> loops = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                loops.add(clients.submit(() -> payUntilRefused(port, running, acknowledged)));
            }

            // when: once the load is in full swing, the server dies, with no chance to flush or close anything
            awaitAcknowledged(acknowledged, log);
            server.destroyForcibly();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server did not die");
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            clients.shutdown();
        } finally {
            server.destroyForcibly();
        }

        // then: restarted in-process on the same data, every acknowledged payment is there, with its record
        AppConfig config = AppConfig.defaults(dataDir).withApiKeys(Map.of(SECRET, ACCOUNT))
                .withRateLimits(RateLimitConfig.DEFAULTS.withWrites(100_000, 1).withMaxInFlightPerAccount(CLIENTS * 2));
        try (App.Running restarted = App.start(config)) {
            Map<String, String> stored = storedPayments(restarted);
            for (Map.Entry<String, String> ack : acknowledged.entrySet()) {
                assertEquals(ack.getValue(), stored.get(ack.getKey()),
                        "payment acknowledged for key " + ack.getKey() + " is missing or differs after the crash");
            }
            assertEveryKeyReplays(restarted.port(), acknowledged);
            System.out.printf("kill -9 after load: %d payments acknowledged, all %d present with their idempotency "
                    + "record and replayed; %d stored in total%n", acknowledged.size(), acknowledged.size(), stored.size());
        }
    }

    private static void awaitAcknowledged(Map<String, String> acknowledged, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < ACKS_BEFORE_KILL) {
            if (System.nanoTime() > deadline) {
                fail("only " + acknowledged.size() + " payments acknowledged in 60 s:\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    /** One client: new payments with fresh keys until the server stops answering. */
    private void payUntilRefused(int port, AtomicBoolean running, Map<String, String> acknowledged) {
        while (running.get()) {
            String key = UUID.randomUUID().toString();
            try {
                HttpResponse<String> response = client.send(payment(port, key), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    acknowledged.put(key, Json.parse(response.body()).get("id").asText());
                } else {
                    fail("unexpected " + response.statusCode() + " before the crash: " + response.body());
                }
            } catch (IOException refusedOrCutOff) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void assertEveryKeyReplays(int port, Map<String, String> acknowledged) throws Exception {
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
                    fail("an acknowledged payment was not replayed after the crash: " + failure);
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

    private Process startServer(Path log) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-Dsun.net.httpserver.nodelay=true",
                "-cp", System.getProperty("java.class.path"), "dev.breakwater.Main")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("PORT", "0");
        env.put("BREAKWATER_BIND", "127.0.0.1");
        env.put("BREAKWATER_DATA_DIR", dataDir.toString());
        env.put("BREAKWATER_API_KEYS", ACCOUNT + ":" + SECRET);
        env.put("BREAKWATER_WRITE_MODE", "group");
        // This test is about durability under write load, not throttling: lift the account's limits.
        env.put("BREAKWATER_RATELIMIT_MAX_IN_FLIGHT", String.valueOf(CLIENTS * 2));
        env.put("BREAKWATER_RATELIMIT_WRITES_QUOTA", "100000");
        return builder.start();
    }

    private static int awaitPort(Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("the server exited with " + server.exitValue() + ":\n" + Files.readString(log));
            }
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            Thread.sleep(50);
        }
        return fail("the server did not start within 60 s:\n" + Files.readString(log));
    }
}

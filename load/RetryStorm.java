import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drives a retry storm against a local Breakwater, for the dashboard screenshot and the JFR
 * walkthrough in docs/. JDK only, run as a source file:
 *
 * <pre>
 *   java load/RetryStorm.java http://127.0.0.1:18200 sk_test_... [calmSeconds] [stormSeconds]
 * </pre>
 *
 * Calm phase: well-behaved clients (2 s timeout, backoff 0.5 s, at most 3 tries) create payments
 * at a steady pace. Storm phase: a "bad release" of the same clients plus a second fleet with a
 * 100 ms timeout (below the processor's latency when the server runs with
 * BREAKWATER_SANDBOX_LATENCY_MS=150) that retries at once, up to 8 times, with the same key:
 * 409 in-flight conflicts while the first attempt runs, then replays; some payments hit
 * pm_card_processor_error (502) and are resumed again and again, and even a success is sent once
 * more (a double submit, answered by a replay). Bounded in time and in requests,
 * it stops by itself. Only loopback targets are accepted.
 */
public final class RetryStorm {
    private static final int MAX_REQUESTS = 200_000;
    private static final int CALM_CLIENTS = 6;
    private static final int STORM_CLIENTS = 10;

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final Map<String, LongAdder> OUTCOMES = new ConcurrentHashMap<>();
    private static final AtomicInteger SENT = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java load/RetryStorm.java BASE_URL SECRET_KEY [calmSeconds=40] [stormSeconds=60]");
            System.exit(2);
        }
        URI base = URI.create(args[0].endsWith("/") ? args[0] : args[0] + "/");
        if (!base.getHost().equals("127.0.0.1") && !base.getHost().equals("localhost") && !base.getHost().equals("[::1]")) {
            System.err.println("RetryStorm only targets a server on this machine (127.0.0.1, localhost, [::1])");
            System.exit(2);
        }
        String key = args[1];
        int calm = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        int storm = args.length > 3 ? Integer.parseInt(args[3]) : 60;

        long start = System.nanoTime();
        long calmEnd = start + TimeUnit.SECONDS.toNanos(calm);
        long stormEnd = calmEnd + TimeUnit.SECONDS.toNanos(storm);
        ExecutorService pool = Executors.newFixedThreadPool(CALM_CLIENTS + STORM_CLIENTS);
        for (int i = 0; i < CALM_CLIENTS; i++) {
            int client = i;
            pool.submit(() -> wellBehaved(base, key, client, stormEnd));
        }
        for (int i = 0; i < STORM_CLIENTS; i++) {
            int client = i;
            pool.submit(() -> storming(base, key, client, calmEnd, stormEnd));
        }
        System.out.printf("calm for %d s, then storm for %d s against %s%n", calm, storm, base);
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < stormEnd && SENT.get() < MAX_REQUESTS) {
            Thread.sleep(200);
            if (System.nanoTime() >= nextReport) {
                System.out.printf("t=%3ds %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), OUTCOMES);
                nextReport += TimeUnit.SECONDS.toNanos(10);
            }
        }
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        System.out.printf("done after %d s, %d requests: %s%n",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), SENT.get(), OUTCOMES);
    }

    /** A client as the docs ask: 2 s timeout, exponential backoff, at most 3 tries per payment. */
    private static void wellBehaved(URI base, String key, int client, long until) {
        Random random = new Random(client);
        while (running(until)) {
            String idempotencyKey = UUID.randomUUID().toString();
            String card = random.nextInt(50) == 0 ? "pm_card_declined" : "pm_card_visa";
            long backoff = 500;
            for (int attempt = 0; attempt < 3 && running(until); attempt++) {
                int status = post(base, key, idempotencyKey, card, Duration.ofSeconds(2));
                if (status != 0 && status != 409 && status < 500) {
                    break;
                }
                pause(backoff + random.nextInt((int) backoff));
                backoff *= 2;
            }
            pause(200);
        }
    }

    /** The bad release: 100 ms timeout, immediate retries with the same key, up to 8 tries. */
    private static void storming(URI base, String key, int client, long from, long until) {
        Random random = new Random(1000 + client);
        while (System.nanoTime() < from) {
            pause(100);
        }
        while (running(until)) {
            String idempotencyKey = UUID.randomUUID().toString();
            String card = random.nextInt(5) == 0 ? "pm_card_processor_error" : "pm_card_visa";
            for (int attempt = 0; attempt < 8 && running(until); attempt++) {
                int status = post(base, key, idempotencyKey, card, Duration.ofMillis(100));
                if (status != 0 && status != 409 && status < 500 && attempt > 0) {
                    break;
                }
                pause(20);
            }
        }
    }

    private static boolean running(long until) {
        return System.nanoTime() < until && SENT.get() < MAX_REQUESTS && !Thread.currentThread().isInterrupted();
    }

    /** The status, or 0 when the client gave up waiting. */
    private static int post(URI base, String key, String idempotencyKey, String card, Duration timeout) {
        SENT.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("v1/payments"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"amount\": 1999, \"currency\": \"usd\", \"payment_method\": \"" + card + "\"}"))
                .build();
        try {
            int status = HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            OUTCOMES.computeIfAbsent(String.valueOf(status), k -> new LongAdder()).increment();
            return status;
        } catch (HttpTimeoutException e) {
            OUTCOMES.computeIfAbsent("client-timeout", k -> new LongAdder()).increment();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            OUTCOMES.computeIfAbsent("io-error", k -> new LongAdder()).increment();
            return 0;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

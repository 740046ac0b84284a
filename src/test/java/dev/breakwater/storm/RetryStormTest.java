package dev.breakwater.storm;

import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;

import static dev.breakwater.support.TestApi.KEY_A;
import static dev.breakwater.support.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded retry storm (about 20 s in all): a storming account and a polite one share the
 * server while the sandbox processor fails, loses answers and times out; then the verifier reads
 * the database and the processor's ledger. The real server must hold every invariant; the same
 * app wired without its guards must visibly not, which shows the verifier can tell.
 * The long runs with charts are the Gatling simulations under load/ (docs/evidence/retry-storm.md).
 */
class RetryStormTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    /**
     * Set the way an operator sets them (BREAKWATER_* variables): a slow, faulty processor (each
     * call 100-300 ms; 20% errors, half of them after the charge is recorded; 5% timeouts after
     * recording), and a write quota the storm exceeds many times over while the polite account
     * stays within it.
     */
    private static final Map<String, String> STORM_ENV = Map.of(
            "BREAKWATER_SANDBOX_ERROR_RATE", "0.2",
            "BREAKWATER_SANDBOX_TIMEOUT_RATE", "0.05",
            "BREAKWATER_SANDBOX_LATENCY_MS", "200",
            "BREAKWATER_PROCESSOR_TIMEOUT_MS", "500",
            "BREAKWATER_RATELIMIT_WRITES_QUOTA", "20",
            "BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS", "1");
    private static final Duration PROCESSOR_TIMEOUT = Duration.ofMillis(500);
    /**
     * Inside the processor's latency range: some payments that do succeed on the server reach the
     * client only after it gave up (the answer is lost), and every injected processor timeout is
     * a client timeout too, followed by retries that find the first attempt still in flight.
     */
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(250);
    private static final int STORM_CLIENTS = 8;
    private static final int STORM_ATTEMPTS_PER_SECOND = 300;
    private static final int POLITE_CLIENTS = 2;
    private static final Path REPORTS = Path.of("target", "storm");

    @Test
    void realServerHoldsEveryInvariantUnderAStormWithProcessorFaults() throws Exception {
        try (TestApi api = TestApi.start(withFaults())) {
            StormReport report = storm(api, "after (real server)", Duration.ofSeconds(12));
            report.writeTo(REPORTS, "RetryStormTest-after");

            assertEquals(List.of(), report.violations(), report.toMarkdown());
            assertTrue(report.tooManyRequests() > 0, "the storm, far above the write quota, was told so: "
                    + report.toMarkdown());
            assertTrue(report.acknowledgedOrders() > 50, "the storm did real work: " + report.toMarkdown());
            assertTrue(report.serverErrors() > 0, "processor faults were injected and answered: " + report.toMarkdown());
            assertTrue(report.client("storm").attempts() > report.client("storm").ordersStarted(),
                    "the storm retried: " + report.toMarkdown());
            assertEquals(report.money().payments(), report.money().ordersWithPayment());
        }
    }

    @Test
    void withoutTheGuardsTheSameStormCreatesDuplicatePaymentsAndCharges() throws Exception {
        App.Seams before = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(), QUIET, new WithoutGuards());
        try (TestApi api = TestApi.start(withFaults(), before)) {
            StormReport report = storm(api, "before (no guards)", Duration.ofSeconds(6));
            report.writeTo(REPORTS, "RetryStormTest-before");

            assertTrue(report.money().duplicatePayments() > 0, report.toMarkdown());
            assertTrue(report.money().duplicateCharges() > 0, report.toMarkdown());
            assertFalse(report.violations().isEmpty(), report.toMarkdown());
        }
    }

    private static UnaryOperator<AppConfig> withFaults() {
        return config -> {
            Map<String, String> env = new HashMap<>(STORM_ENV);
            env.put("PORT", "0");
            env.put("BREAKWATER_DATA_DIR", config.dataDir().toString());
            return AppConfig.fromEnv(env).withApiKeys(config.apiKeys());
        };
    }

    /** Storm clients (account A) and polite clients (account B) place orders until {@code length} is over. */
    private static StormReport storm(TestApi api, String label, Duration length) throws Exception {
        Observations observations = new Observations();
        URI base = api.uri("/");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        StormClient.Pacer stormPace = new StormClient.Pacer(STORM_ATTEMPTS_PER_SECOND);
        Instant end = Instant.now().plus(length);
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            StormCrowds crowds = new StormCrowds(http, base, CLIENT_TIMEOUT, observations, threads, end);
            clients.addAll(crowds.storm("storm", KEY_A, STORM_CLIENTS, stormPace));
            clients.addAll(crowds.polite("polite", KEY_B, POLITE_CLIENTS));
            for (Future<?> client : clients) {
                client.get();
            }
        }
        observations.ended();
        // Let requests the clients gave up on finish on the server before reading the ledger.
        Thread.sleep(PROCESSOR_TIMEOUT.plusMillis(200));
        return StormVerifier.verify(label, api.app().dataSource(), observations);
    }
}

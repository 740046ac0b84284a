package dev.breakwater.load;

import dev.breakwater.storm.Observations;
import dev.breakwater.storm.RetryPolicy;
import dev.breakwater.storm.StormClient;
import dev.breakwater.storm.StormReport;
import dev.breakwater.storm.StormVerifier;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What both simulations share: the settings (system properties, bounded), the server they start
 * in {@code before()} and verify in {@code after()}, and the order chain that drives one
 * Idempotency-Key through the shared {@link RetryPolicy}, recording every attempt in
 * {@link Observations} for the verifier.
 */
final class StormLoad {
    final StormServer.Wiring wiring = StormServer.Wiring.parse(System.getProperty("storm.wiring", "after"));
    final int port = Integer.getInteger("storm.port", 18610);
    /** How long the clients place new orders; the run is cut off 15 s after that whatever happens. */
    final Duration length = Duration.ofSeconds(Integer.getInteger("storm.seconds", 40));
    final int stormUsers = Integer.getInteger("storm.users", 20);
    /** All storm users together send at most this many requests per second: a finite fleet, still far above the quota. */
    final int stormRps = Integer.getInteger("storm.rps", 250);
    final int politeUsers = Integer.getInteger("storm.politeUsers", 3);
    final Duration politeThink = Duration.ofMillis(Integer.getInteger("storm.politeThinkMs", 200));
    final Path out = Path.of(System.getProperty("storm.out", "target/storm"));
    final Observations observations = new Observations();
    private StormServer server;

    static final RetryPolicy STORM = RetryPolicy.storm(100);
    static final RetryPolicy POLITE = RetryPolicy.polite(10, Duration.ofMillis(200), Duration.ofSeconds(5));

    Duration maxDuration() {
        return length.plusSeconds(15);
    }

    HttpProtocolBuilder protocol() {
        return http.baseUrl("http://127.0.0.1:" + port)
                .contentTypeHeader("application/json")
                .acceptHeader("application/json")
                .shareConnections();
    }

    void startServer() {
        server = StormServer.start(wiring, port, out);
        observations.begin();
        System.out.printf(Locale.ROOT, "storm: %s server on %s (faults %s, processor timeout %s)%n", wiring,
                server.baseUrl(), server.config().sandboxFaults(), server.config().processorTimeout());
    }

    /**
     * Stops the load clock, lets in-flight work settle, verifies, writes target/storm/NAME.{md,json}
     * and the side-by-side table, then stops the server.
     */
    StormReport verifyAndStop(String simulation) {
        observations.ended();
        try {
            Thread.sleep(server.config().processorTimeout().plusSeconds(1));
            String name = simulation + "-" + wiring.name().toLowerCase(Locale.ROOT);
            StormReport report = StormVerifier.verify(name, server.app().dataSource(), observations);
            report.writeTo(out, name);
            StormComparison.write(out);
            System.out.println(report.toMarkdown());
            return report;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            server.close();
        }
    }

    /**
     * One order: a fresh Idempotency-Key, then attempts with that key until a 201, a final answer,
     * or the policy gives up. Every attempt is one Gatling request named after the client, and
     * only a 201 counts as OK in the Gatling report.
     */
    ChainBuilder order(String client, String secret, RetryPolicy policy) {
        return exec(session -> {
            String order = UUID.randomUUID().toString();
            observations.orderStarted(client, order);
            return session.set("order", order)
                    .set("body", StormClient.paymentBody(order, StormClient.randomAmount()))
                    .set("attempt", 0)
                    .set("orderDone", false)
                    .set("waitMs", 0L);
        }).asLongAs(session -> !session.getBoolean("orderDone")).on(
                exec(session -> session.remove("status").remove("retryAfter").remove("paymentId").remove("problemType")
                        .remove("responseTime")
                        .set("attempt", session.getInt("attempt") + 1)
                        .set("sentAt", System.currentTimeMillis()))
                        .exec(http("POST /v1/payments " + client).post("/v1/payments")
                                .header("Authorization", "Bearer " + secret)
                                .header("Idempotency-Key", "#{order}")
                                .body(StringBody("#{body}"))
                                .check(status().saveAs("status"),
                                        header("Retry-After").optional().saveAs("retryAfter"),
                                        jsonPath("$.id").optional().saveAs("paymentId"),
                                        jsonPath("$.type").optional().saveAs("problemType"),
                                        responseTimeInMillis().saveAs("responseTime"),
                                        status().is(201)))
                        .exec(session -> afterAttempt(session, client, policy))
                        .doIf(session -> session.getLong("waitMs") > 0).then(
                                pause(session -> Duration.ofMillis(session.getLong("waitMs")))));
    }

    private Session afterAttempt(Session session, String client, RetryPolicy policy) {
        String order = session.getString("order");
        int attempt = session.getInt("attempt");
        long sentAt = session.getLong("sentAt");
        RetryPolicy.Outcome outcome = session.contains("status")
                ? new RetryPolicy.Outcome(session.getInt("status"), session.getString("retryAfter"))
                : RetryPolicy.Outcome.noAnswer();
        String problemType = outcome.status() >= 400 ? session.getString("problemType") : null;
        // Gatling's own response time excludes the wait in the throttle queue; a timeout has none.
        long latency = session.contains("responseTime") ? session.getInt("responseTime")
                : System.currentTimeMillis() - sentAt;
        observations.attempt(client, order, attempt, sentAt, latency, outcome, problemType);
        if (outcome.status() == 201) {
            observations.orderFinished(client, order, session.getString("paymentId"), 201, attempt);
            return session.set("orderDone", true).set("waitMs", 0L).markAsSucceeded();
        }
        Optional<Duration> wait = policy.next(attempt, outcome);
        if (wait.isEmpty()) {
            observations.orderFinished(client, order, null, outcome.status(), attempt);
            return session.set("orderDone", true).set("waitMs", 0L).markAsSucceeded();
        }
        return session.set("waitMs", wait.get().toMillis()).markAsSucceeded();
    }
}

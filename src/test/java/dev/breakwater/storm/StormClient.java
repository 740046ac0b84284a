package dev.breakwater.storm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain {@link HttpClient} client that places payment orders with a {@link RetryPolicy}: the
 * bounded storm test's counterpart of the Gatling scenarios (same policy, same request body,
 * same observations). Blocking; run each client on its own virtual thread.
 */
public final class StormClient {
    private final HttpClient http;
    private final URI payments;
    private final String name;
    private final String secret;
    private final RetryPolicy policy;
    private final Duration timeout;
    private final Observations observations;
    private final Pacer pacer;

    public StormClient(HttpClient http, URI baseUri, String name, String secret, RetryPolicy policy,
                       Duration timeout, Observations observations, Pacer pacer) {
        this.http = http;
        this.payments = baseUri.resolve("/v1/payments");
        this.name = name;
        this.secret = secret;
        this.policy = policy;
        this.timeout = timeout;
        this.observations = observations;
        this.pacer = pacer;
    }

    /** The body of every order: a visa payment whose metadata names the order, so the verifier can find it. */
    public static String paymentBody(String order, long amount) {
        return "{\"amount\": " + amount + ", \"currency\": \"usd\", \"payment_method\": \"pm_card_visa\", "
                + "\"metadata\": {\"" + StormVerifier.ORDER_METADATA + "\": \"" + order + "\"}}";
    }

    public static long randomAmount() {
        return 100 + ThreadLocalRandom.current().nextLong(100_000);
    }

    /** A varied amount that the order id alone determines, so a later retry can rebuild the same body. */
    public static long amountFor(String order) {
        return 100 + Math.floorMod(order.hashCode(), 100_000);
    }

    /** Places orders one after another, pausing {@code think} between them, until {@code end}. */
    public void placeOrdersUntil(Instant end, Duration think) throws InterruptedException {
        while (Instant.now().isBefore(end)) {
            placeOrder(end);
            if (!think.isZero()) {
                Thread.sleep(think);
            }
        }
    }

    /** One order: a fresh Idempotency-Key, retried with that same key as the policy says, until done or {@code end}. */
    public void placeOrder(Instant end) throws InterruptedException {
        retryOrder(UUID.randomUUID().toString(), end);
    }

    /** The order with this key (and the body {@link #amountFor} gives it), sent until done or {@code end}. */
    public void retryOrder(String order, Instant end) throws InterruptedException {
        String body = paymentBody(order, amountFor(order));
        observations.orderStarted(name, order);
        int attempt = 0;
        while (true) {
            attempt++;
            pacer.acquire();
            long started = System.currentTimeMillis();
            Answer answer = send(order, body);
            observations.attempt(name, order, attempt, started, System.currentTimeMillis() - started, answer.outcome(),
                    answer.problemType());
            if (answer.outcome().status() == 201) {
                observations.orderFinished(name, order, answer.paymentId(), 201, attempt);
                return;
            }
            Optional<Duration> wait = policy.next(attempt, answer.outcome());
            if (wait.isEmpty()) {
                observations.orderFinished(name, order, null, answer.outcome().status(), attempt);
                return;
            }
            if (Instant.now().plus(wait.get()).isAfter(end)) {
                return; // cut off by the end of the run: left unfinished, as Gatling leaves it
            }
            if (!wait.get().isZero()) {
                Thread.sleep(wait.get());
            }
        }
    }

    private record Answer(RetryPolicy.Outcome outcome, String paymentId, String problemType) {
    }

    private Answer send(String order, String body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(payments)
                .timeout(timeout)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", order)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            RetryPolicy.Outcome outcome = new RetryPolicy.Outcome(response.statusCode(),
                    response.headers().firstValue("Retry-After").orElse(null));
            JsonNode json = parse(response.body());
            return new Answer(outcome, text(json, "id"), response.statusCode() >= 400 ? text(json, "type") : null);
        } catch (IOException e) {
            return new Answer(RetryPolicy.Outcome.noAnswer(), null, null);
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : Json.parse(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        return json == null || !json.hasNonNull(field) ? null : json.get(field).asText();
    }

    @Override
    public String toString() {
        return name + " (" + policy.style() + ")";
    }

    /** Caps the attempts of all clients sharing it at a rate, as Gatling's throttle does: a finite client fleet. */
    public static final class Pacer {
        public static final Pacer UNLIMITED = new Pacer(0);
        private final long intervalNanos;
        private final AtomicLong nextSlot = new AtomicLong(System.nanoTime());

        public Pacer(int perSecond) {
            this.intervalNanos = perSecond <= 0 ? 0 : 1_000_000_000L / perSecond;
        }

        void acquire() throws InterruptedException {
            if (intervalNanos == 0) {
                return;
            }
            long now = System.nanoTime();
            long slot = nextSlot.getAndUpdate(next -> Math.max(next, now) + intervalNanos);
            long wait = Math.max(slot, now) - now;
            if (wait > 0) {
                Thread.sleep(Duration.ofNanos(wait));
            }
        }
    }
}

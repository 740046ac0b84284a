package dev.breakwater.storm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients saw during one run, attempt by attempt and order by order: the client half of
 * the evidence, which {@link StormVerifier} holds against the database. Thread-safe: Gatling's
 * event loops and the test's virtual threads record into it concurrently.
 */
public final class Observations {
    /** One HTTP attempt. {@code status} is {@link RetryPolicy.Outcome#NO_ANSWER} for a timeout or a broken connection. */
    public record Attempt(String client, String order, int attempt, long startedAtMillis, long latencyMillis,
                          int status, boolean retryAfter, String problemType) {
    }

    /** One logical operation (one Idempotency-Key): acknowledged with a payment id, or given up with its last status. */
    public record Order(String client, String order, String acknowledgedPaymentId, int finalStatus, int attempts,
                        long finishedAtMillis) {
        public boolean acknowledged() {
            return acknowledgedPaymentId != null;
        }
    }

    private volatile long startMillis = System.currentTimeMillis();
    private volatile long endMillis;
    private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final Map<String, String> startedOrders = new ConcurrentHashMap<>();

    public long startMillis() {
        return startMillis;
    }

    /** The load starts now (e.g. once the server is up); the time before does not count. */
    public void begin() {
        startMillis = System.currentTimeMillis();
    }

    /** The load stopped now; the time the verifier spends afterwards does not count against throughput. */
    public void ended() {
        endMillis = System.currentTimeMillis();
    }

    public double seconds() {
        long end = endMillis == 0 ? System.currentTimeMillis() : endMillis;
        return (end - startMillis) / 1000.0;
    }

    public void orderStarted(String client, String order) {
        startedOrders.put(order, client);
    }

    public void attempt(String client, String order, int attempt, long startedAtMillis, long latencyMillis,
                        RetryPolicy.Outcome outcome, String problemType) {
        attempts.add(new Attempt(client, order, attempt, startedAtMillis, latencyMillis, outcome.status(),
                outcome.retryAfter() != null, problemType));
    }

    /** The order is over: {@code paymentId} is the id the client was given with a 201, or null if it gave up. */
    public void orderFinished(String client, String order, String paymentId, int finalStatus, int attemptCount) {
        orders.put(order, new Order(client, order, paymentId, finalStatus, attemptCount, System.currentTimeMillis()));
    }

    public List<Attempt> attempts() {
        return List.copyOf(attempts);
    }

    public Collection<Order> finishedOrders() {
        return List.copyOf(orders.values());
    }

    /** Orders started but still running when the run ended (cut off by the time bound). */
    public List<String> unfinishedOrders() {
        List<String> open = new ArrayList<>();
        startedOrders.keySet().forEach(order -> {
            if (!orders.containsKey(order)) {
                open.add(order);
            }
        });
        return open;
    }

    public Map<String, String> startedOrders() {
        return Map.copyOf(startedOrders);
    }
}

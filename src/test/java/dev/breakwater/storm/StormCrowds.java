package dev.breakwater.storm;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The two crowds every storm run starts on {@code threads}, placing orders until {@code end}:
 * storming clients (retry at once, ignore Retry-After, share one pace) and polite ones (back off
 * with jitter, honour Retry-After, think 100 ms between orders). One definition, so the
 * in-process, gateway and cluster storms run the same experiment.
 */
public record StormCrowds(HttpClient http, URI base, Duration clientTimeout, Observations observations,
                          ExecutorService threads, Instant end) {

    public List<Future<?>> storm(String name, String secret, int clients, StormClient.Pacer pace) {
        return start(clients, () -> new StormClient(http, base, name, secret, RetryPolicy.storm(50), clientTimeout,
                observations, pace), Duration.ZERO);
    }

    public List<Future<?>> polite(String name, String secret, int clients) {
        return start(clients, () -> new StormClient(http, base, name, secret,
                RetryPolicy.polite(8, Duration.ofMillis(100), Duration.ofSeconds(2)), clientTimeout, observations,
                StormClient.Pacer.UNLIMITED), Duration.ofMillis(100));
    }

    private List<Future<?>> start(int clients, Supplier<StormClient> client, Duration think) {
        List<Future<?>> started = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            StormClient each = client.get();
            started.add(threads.submit(() -> {
                each.placeOrdersUntil(end, think);
                return null;
            }));
        }
        return started;
    }
}

package dev.breakwater.ops;

import dev.breakwater.http.Request;
import dev.breakwater.http.Response;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.http.ratelimit.RedisLimits;
import dev.breakwater.store.Database;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Liveness and readiness for a balancer. Live: the process answers. Ready: it can serve traffic
 * now, that is its store answers, Redis answers if one is configured, and it is not draining
 * for shutdown. A balancer routes on readiness, so a node whose PostgreSQL connection is gone,
 * whose store has closed or that is stopping gets no new requests, while liveness keeps an
 * orchestrator from restarting a node that is only waiting for a dependency.
 * <p>
 * Each check has {@link #CHECK_TIMEOUT}: a probe gets its answer in about a second even while a
 * dependency hangs (a connection attempt to a dead PostgreSQL waits longer than that).
 */
public final class Readiness {
    static final Duration CHECK_TIMEOUT = Duration.ofMillis(1_500);
    static final String RETRY_AFTER_SECONDS = "1";

    private final Database database;
    private final RedisLimits redis;
    private final BooleanSupplier draining;

    /** @param redis null when limits are kept in memory */
    public Readiness(Database database, RedisLimits redis, BooleanSupplier draining) {
        this.database = database;
        this.redis = redis;
        this.draining = draining;
    }

    public Response live(Request request) {
        return Response.json(200, Map.of("status", "ok"));
    }

    /**
     * 200 with the checks when ready; otherwise 503 {@code temporary-reduced-capacity}, a problem
     * like every other error of this API, with the same checks as its {@code checks} member.
     */
    public Response ready(Request request) {
        boolean storeUp = withinTimeout(database::isReachable);
        boolean redisUp = redis == null || withinTimeout(redis::isReachable);
        boolean isDraining = draining.getAsBoolean();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("store", storeUp ? "up" : "down");
        checks.put("redis", redis == null ? "not_configured" : redisUp ? "up" : "down");
        checks.put("draining", isDraining);
        if (storeUp && redisUp && !isDraining) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ready");
            body.putAll(checks);
            return Response.json(200, body);
        }
        String reason = isDraining ? "it is stopping" : !storeUp ? "its store does not answer" : "its Redis does not answer";
        throw new ProblemException(ProblemType.TEMPORARY_REDUCED_CAPACITY,
                "This node is not ready because " + reason + "; send traffic to another node.",
                List.of(), Map.of("checks", checks), Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    private static boolean withinTimeout(BooleanSupplier check) {
        CompletableFuture<Boolean> result = CompletableFuture.supplyAsync(check::getAsBoolean,
                task -> Thread.ofVirtual().name("readiness-check").start(task));
        try {
            return result.get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

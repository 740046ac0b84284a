package dev.breakwater.ops;

import com.sun.net.httpserver.Headers;
import dev.breakwater.domain.Ids;
import dev.breakwater.http.Request;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.store.Database;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Liveness and readiness: what a balancer routes on. */
class ReadinessTest {

    @Test
    void runningNodeIsLiveAndReady() {
        try (TestApi api = TestApi.start()) {
            ApiResponse live = api.send(api.request("/health/live").GET().build());
            ApiResponse ready = api.send(api.request("/health/ready").GET().build());
            ApiResponse legacy = api.send(api.request("/health").GET().build());

            assertEquals(200, live.status());
            assertEquals("ok", live.json().get("status").asText());
            assertEquals(200, ready.status(), ready::toString);
            assertEquals("ready", ready.json().get("status").asText());
            assertEquals("up", ready.json().get("store").asText());
            assertEquals("not_configured", ready.json().get("redis").asText());
            assertFalse(ready.json().get("draining").asBoolean());
            assertNull(ready.header("Retry-After"));
            assertEquals(200, legacy.status(), "GET /health keeps working");
        }
    }

    @Test
    void nodeWhoseStoreHasClosedIsNotReadyButStillLive(@TempDir Path dir) {
        Database database = Database.open(dir, 2);
        Readiness readiness = new Readiness(database, null, () -> false);
        assertEquals(200, readiness.ready(request()).status());

        database.close();
        ProblemException notReady = assertThrows(ProblemException.class, () -> readiness.ready(request()));

        assertEquals(ProblemType.TEMPORARY_REDUCED_CAPACITY, notReady.type());
        assertEquals(503, notReady.type().status());
        assertEquals("1", notReady.headers().get("Retry-After"));
        assertEquals(Map.of("store", "down", "redis", "not_configured", "draining", false),
                notReady.extensions().get("checks"));
        assertEquals(200, readiness.live(request()).status());
    }

    @Test
    void drainingNodeIsNotReady(@TempDir Path dir) {
        try (Database database = Database.open(dir, 2)) {
            Readiness readiness = new Readiness(database, null, () -> true);

            ProblemException notReady = assertThrows(ProblemException.class, () -> readiness.ready(request()));

            assertEquals(Map.of("store", "up", "redis", "not_configured", "draining", true),
                    notReady.extensions().get("checks"));
        }
    }

    private static Request request() {
        return new Request(Ids.next(Ids.REQUEST), "GET", "/health/ready", null, new Headers(), new byte[0],
                new InetSocketAddress("127.0.0.1", 40000), System.nanoTime());
    }
}

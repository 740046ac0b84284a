package dev.breakwater.observability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.common.Json;
import dev.breakwater.http.problem.ProblemType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The access log's queue and writer thread, without a server. */
class AccessLogWriterTest {
    private static final String OTHER_OUTPUT = "some other line on the same console";
    private static final Map<String, String> REJECTED = Map.of("ratelimit", "rejected:default");

    @Test
    void closeWritesEveryLineQueuedFromManyThreadsEachWhole() throws InterruptedException {
        // given: 16 threads queue 2,000 lines each while another prints on the same console
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, false, StandardCharsets.UTF_8);
        AccessLog log = AccessLog.start(console);
        int threads = 16;
        int perThread = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofVirtual().start(() -> {
                awaitQuietly(go);
                for (int i = 0; i < perThread; i++) {
                    log.write(request("req_" + thread + "_" + i));
                }
            }));
        }
        Thread other = Thread.ofVirtual().start(() -> {
            awaitQuietly(go);
            for (int i = 0; i < 500; i++) {
                console.println(OTHER_OUTPUT);
            }
        });
        go.countDown();
        for (Thread writer : writers) {
            writer.join();
        }
        other.join();

        // when
        log.close();

        // then: every line is there once, and each is either a whole access line or the other output
        Set<String> ids = new HashSet<>();
        int others = 0;
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.equals(OTHER_OUTPUT)) {
                others++;
                continue;
            }
            JsonNode parsed = Json.parse(line);
            assertEquals("access", parsed.get("log").asText(), line);
            assertTrue(ids.add(parsed.get("request_id").asText()), "written twice: " + line);
        }
        Set<String> expected = new HashSet<>();
        IntStream.range(0, threads).forEach(t -> IntStream.range(0, perThread).forEach(i -> expected.add("req_" + t + "_" + i)));
        assertEquals(expected, ids);
        assertEquals(500, others);
        assertEquals(0, log.dropped());
    }

    @Test
    void aLineKeepsTheFieldsAndFormatOfTheTreeBuiltLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AccessLog log = AccessLog.start(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        log.write(new CompletedRequest("req_1", Instant.parse("2026-11-24T01:06:33.183873557Z"), "POST", "/v1/payments",
                422, 11_862_600, "acct_a", "mismatch", null, "/problems/idempotency-key-reused"));
        log.close();

        assertEquals("{\"timestamp\":\"2026-11-24T01:06:33.183873557Z\",\"log\":\"access\",\"request_id\":\"req_1\","
                        + "\"account\":\"acct_a\",\"method\":\"POST\",\"route\":\"/v1/payments\",\"status\":422,"
                        + "\"latency_ms\":11.863,\"idempotency\":\"mismatch\",\"ratelimit\":null,"
                        + "\"problem_type\":\"/problems/idempotency-key-reused\"}\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(60) // only a guard: if write() blocked on the full queue, this test would otherwise hang
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws InterruptedException {
        // given: a console that blocks its first write until released, and a queue of 4
        StalledConsole stalled = new StalledConsole();
        AccessLog log = AccessLog.start(new PrintStream(stalled, false, StandardCharsets.UTF_8), 4);
        log.write(request("req_0"));
        stalled.writing.await(); // the writer holds req_0 and is stuck in the console; the queue is empty

        // when: 4 lines fill the queue and 3 more find it full
        for (int i = 1; i <= 7; i++) {
            log.write(request("req_" + i));
        }

        // then: the 3 were dropped and counted, the caller was never held
        assertEquals(3, log.dropped());

        // and once the console moves again, close writes what was queued
        stalled.release.countDown();
        log.close();
        List<String> written = Arrays.stream(stalled.text().split("\n"))
                .map(line -> Json.parse(line).get("request_id").asText())
                .toList();
        assertEquals(List.of("req_0", "req_1", "req_2", "req_3", "req_4"), written);
        assertEquals(3, log.dropped());
    }

    @Test
    @Timeout(60) // only a guard, as above
    void droppedLinesAreCountedOnMetrics() throws InterruptedException {
        // given: the server's console is stuck in a write, with the first line
        StalledConsole stalled = new StalledConsole();
        try (ObservabilityFixture fixture = new ObservabilityFixture(new PrintStream(stalled, false, StandardCharsets.UTF_8))) {
            try {
                fixture.completed("GET", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED);
                stalled.writing.await();
                assertEquals(0, fixture.scrape().value("breakwater_access_log_dropped_total"));

                // when: a full queue's worth of requests finish, and 5 more
                for (int i = 0; i < AccessLog.CAPACITY + 5; i++) {
                    fixture.completed("GET", "/v1/payments", ProblemType.QUOTA_EXCEEDED, REJECTED);
                }

                // then
                assertEquals(5, fixture.scrape().value("breakwater_access_log_dropped_total"));
            } finally {
                stalled.release.countDown(); // else closing the fixture would wait for the console forever
            }
        }
        assertEquals(1 + AccessLog.CAPACITY, stalled.text().split("\n").length, "close wrote every queued line");
    }

    private static CompletedRequest request(String id) {
        return new CompletedRequest(id, Instant.now(), "GET", "/v1/payments", 429, 1_000_000, "acct_a", null,
                "rejected:default", "/problems/quota-exceeded");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A console whose writes block until {@link #release}; {@link #writing} opens at the first. */
    private static final class StalledConsole extends OutputStream {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            writing.countDown();
            awaitQuietly(release);
            synchronized (written) {
                written.write(b, off, len);
            }
        }

        String text() {
            synchronized (written) {
                return written.toString(StandardCharsets.UTF_8);
            }
        }
    }
}

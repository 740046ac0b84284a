package dev.breakwater.store;

import dev.breakwater.support.H2Only;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server in a child JVM takes a burst of concurrent payments and is killed with
 * SIGKILL in the middle of it; restarted on the same data, it must still have every payment
 * whose 201 reached a client, and replay it for its Idempotency-Key.
 */
@H2Only
class CrashDurabilityTest {
    /** Enough acknowledged payments that the JVM is warm and the writer is taking full groups. */
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedPaymentSurvivesKillDashNineWithItsIdempotencyRecord() throws Exception {
        // given: the server in its own JVM, under concurrent payment load
        try (ServerUnderLoad server = ServerUnderLoad.start(dataDir, WriteMode.GROUP)) {
            server.awaitAcknowledged(ACKS_BEFORE_KILL);

            // when: once the load is in full swing, the server dies, with no chance to flush or close anything
            server.process().destroyForcibly();
            assertTrue(server.process().waitFor(20, TimeUnit.SECONDS), "the server did not die");
            server.stopPaying();

            // then: restarted in-process on the same data, every acknowledged payment is there, with its record
            assertEquals(List.of(), server.unexpectedAnswers(), "answers other than 201 before the crash");
            int stored = server.assertEveryAcknowledgedPaymentSurvives();
            System.out.printf("kill -9 after load: %d payments acknowledged, all present with their idempotency "
                    + "record and replayed; %d stored in total%n", server.acknowledged().size(), stored);
        }
    }
}

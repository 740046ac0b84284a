package dev.breakwater.store;

import dev.breakwater.support.H2Only;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server in a child JVM is sent SIGTERM (what a deploy or Ctrl-C sends) in the middle
 * of a payment burst: it must let the requests in flight finish, close the store cleanly and
 * exit, and every payment whose 201 reached a client must be there after a restart.
 */
@H2Only
class ShutdownUnderLoadTest {
    private static final int ACKS_BEFORE_STOP = 300;

    @TempDir
    Path dataDir;

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void sigtermUnderWriteLoadFinishesTheRequestsInFlightAndExits(WriteMode writeMode) throws Exception {
        // given: the server in its own JVM, under concurrent payment load
        try (ServerUnderLoad server = ServerUnderLoad.start(dataDir, writeMode)) {
            server.awaitAcknowledged(ACKS_BEFORE_STOP);

            // when
            server.process().destroy();

            // then: it exits by itself; no client got an error instead of its payment
            assertTrue(server.process().waitFor(60, TimeUnit.SECONDS),
                    () -> "the server did not exit within 60 s of SIGTERM:\n" + server.logTail());
            server.stopPaying();
            assertEquals(List.of(), server.unexpectedAnswers(), "answers other than 201 while stopping");
            Path trace = dataDir.resolve("breakwater.trace.db");
            assertFalse(Files.exists(trace), () -> "H2 reported errors:\n" + ServerUnderLoad.tail(trace));
            int stored = server.assertEveryAcknowledgedPaymentSurvives();
            System.out.printf("SIGTERM under load (%s): %d payments acknowledged, all present and replayed; %d stored%n",
                    writeMode, server.acknowledged().size(), stored);
        }
    }
}

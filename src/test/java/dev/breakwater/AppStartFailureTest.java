package dev.breakwater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A start that fails part-way undoes what it had started: a caller that retries leaks nothing. */
class AppStartFailureTest {
    @TempDir
    Path dataDir;

    @Test
    void aStartThatCannotBindItsPortLeavesNoAccessLogWriterBehind() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // given: the port is someone else's, and the access log is on (its default)
            long writersBefore = accessLogWriters();
            AppConfig config = AppConfig.defaults(dataDir).withApiKeys(Map.of("sk_test_start_failure", "acct_start"))
                    .withPort(taken.getLocalPort());

            // when
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> App.start(config));

            // then: the bind failed, after the access log's writer had started, and that writer is gone
            assertTrue(e.getMessage().startsWith("could not bind"), e.getMessage());
            assertEquals(writersBefore, accessLogWriters(), "access-log writer threads left running");
        }
    }

    private static long accessLogWriters() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("access-log") && thread.isAlive())
                .count();
    }
}

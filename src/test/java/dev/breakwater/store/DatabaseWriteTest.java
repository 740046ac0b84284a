package dev.breakwater.store;

import dev.breakwater.domain.DomainException;
import dev.breakwater.support.H2Only;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link Database#write} keeps one-transaction-per-call semantics in both write modes; in group
 * mode the writes are held behind a gate so that they really do share one group.
 */
@H2Only
class DatabaseWriteTest {
    @TempDir
    Path dir;

    private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
    private Database database;

    @BeforeEach
    void openGroupMode() {
        database = Database.open(dir, 4, WriteMode.GROUP);
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        database.close();
    }

    @Test
    void aFailingWriteLeavesNoTraceAndItsCallerGetsTheSameExceptionWhileTheRestOfItsGroupCommits() throws Exception {
        // given: the writer is busy, so the next twenty writes queue up and run as one group
        CountDownLatch gate = holdTheWriter();
        List<DomainException> thrown = new ArrayList<>();
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "row-" + i;
            DomainException failure = new DomainException.Unprocessable("/x", "no " + name);
            thrown.add(failure);
            boolean fails = i % 2 == 1;
            outcomes.add(submit(() -> database.write(c -> {
                insert(c, name);
                if (fails) {
                    throw failure;
                }
                return name;
            })));
        }
        awaitQueued(20);

        // when
        gate.countDown();

        // then: odd writes failed with exactly their own exception and left no row; even ones committed
        for (int i = 0; i < 20; i++) {
            if (i % 2 == 1) {
                Throwable failure = failureOf(outcomes.get(i));
                assertSame(thrown.get(i), failure);
            } else {
                assertEquals("row-" + i, outcomes.get(i).get(10, TimeUnit.SECONDS));
            }
        }
        assertEquals(Set.of("row-0", "row-2", "row-4", "row-6", "row-8", "row-10", "row-12", "row-14", "row-16",
                "row-18"), names());
    }

    @Test
    void aConstraintViolationComesBackAsAUniqueViolationAndSparesTheWritesAroundIt() throws Exception {
        // given: three writes in one group, the second repeating the first's key
        CountDownLatch gate = holdTheWriter();
        CompletableFuture<String> first = submit(() -> database.write(c -> insert(c, "a")));
        awaitQueued(1);
        CompletableFuture<String> duplicate = submit(() -> database.write(c -> insert(c, "a")));
        awaitQueued(2);
        CompletableFuture<String> third = submit(() -> database.write(c -> insert(c, "b")));
        awaitQueued(3);

        // when
        gate.countDown();

        // then: the duplicate saw the first's uncommitted row, as if the first had committed before it
        assertEquals("a", first.get(10, TimeUnit.SECONDS));
        StoreException violation = assertInstanceOf(StoreException.class, failureOf(duplicate));
        assertTrue(violation.isUniqueViolation(), violation.getMessage());
        assertEquals("b", third.get(10, TimeUnit.SECONDS));
        assertEquals(Set.of("a", "b"), names());
    }

    @Test
    void aWriteThatStartsAnotherWriteIsRejectedInsteadOfDeadlocking() {
        IllegalStateException nested = assertThrows(IllegalStateException.class,
                () -> database.write(outer -> database.write(inner -> insert(inner, "nested"))));
        assertTrue(nested.getMessage().contains("inside a write"), nested.getMessage());
        assertEquals(Set.of(), names());
    }

    @Test
    void closeCommitsEveryQueuedWriteThenRefusesNewOnes() throws Exception {
        // given: fifty writes queued behind a busy writer
        CountDownLatch gate = holdTheWriter();
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String name = "queued-" + i;
            outcomes.add(submit(() -> database.write(c -> insert(c, name))));
        }
        awaitQueued(50);

        // when: the database closes while they wait
        CompletableFuture<Void> closing = CompletableFuture.runAsync(database::close, callers);
        gate.countDown();
        closing.get(30, TimeUnit.SECONDS);

        // then: every queued write was answered with success, a new one is refused, and all fifty are on disk
        for (CompletableFuture<String> outcome : outcomes) {
            assertTrue(outcome.get(10, TimeUnit.SECONDS).startsWith("queued-"));
        }
        assertThrows(StoreException.class, () -> database.write(c -> insert(c, "late")));
        database = Database.open(dir, 4, WriteMode.GROUP);
        assertEquals(50, names().size());
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void aWriteIsVisibleToReadsOnOtherConnectionsOnceItReturns(WriteMode mode) {
        database.close();
        database = Database.open(dir, 4, mode);
        for (int i = 0; i < 20; i++) {
            String name = "seen-" + i;
            database.write(c -> insert(c, name));
            assertTrue(names().contains(name), mode + ": " + name + " not visible after write returned");
        }
    }

    @ParameterizedTest
    @EnumSource(WriteMode.class)
    void concurrentWritesAllCommitAndFailuresStayIsolated(WriteMode mode) throws Exception {
        database.close();
        database = Database.open(dir, 4, mode);
        List<CompletableFuture<String>> outcomes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = "c-" + i;
            boolean fails = i % 10 == 0;
            outcomes.add(submit(() -> database.write(c -> {
                insert(c, name);
                if (fails) {
                    throw new DomainException.PreconditionFailed("fails on purpose");
                }
                return name;
            })));
        }
        Set<String> committed = new TreeSet<>();
        for (int i = 0; i < outcomes.size(); i++) {
            if (i % 10 == 0) {
                assertInstanceOf(DomainException.PreconditionFailed.class, failureOf(outcomes.get(i)));
            } else {
                committed.add(outcomes.get(i).get(30, TimeUnit.SECONDS));
            }
        }
        assertEquals(180, committed.size());
        assertEquals(committed, names());
    }

    @Test
    void interruptingAWriterInTheMiddleOfFileIoFailsNoOtherWriter() throws Exception {
        // given: naive mode, where each caller's own thread commits and fsyncs; two writers
        database.close();
        database = Database.open(dir, 4, WriteMode.NAIVE);
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread interrupted = Thread.ofVirtual().start(() -> writeUntil(writing, "interrupted-", new ArrayList<>()));
        List<RuntimeException> bystanderFailures = Collections.synchronizedList(new ArrayList<>());
        Thread bystander = Thread.ofVirtual().start(() -> writeUntil(writing, "bystander-", bystanderFailures));

        // when: one of them is interrupted again and again, mostly while H2 writes or fsyncs the file
        for (int i = 0; i < 300; i++) {
            interrupted.interrupt();
            Thread.sleep(1);
        }
        writing.set(false);
        interrupted.join(TimeUnit.SECONDS.toMillis(30));
        bystander.join(TimeUnit.SECONDS.toMillis(30));

        // then: the other writer never noticed, and the store still takes writes
        assertEquals(List.of(), bystanderFailures, () -> stackTraces(bystanderFailures));
        database.write(c -> insert(c, "after-the-interrupts"));
        assertTrue(names().contains("after-the-interrupts"));
    }

    /** The whole chain of each failure: which H2 call gave way is the point of this test. */
    private static String stackTraces(List<RuntimeException> failures) {
        StringWriter out = new StringWriter();
        synchronized (failures) {
            failures.forEach(failure -> failure.printStackTrace(new PrintWriter(out)));
        }
        return out.toString();
    }

    private void writeUntil(AtomicBoolean writing, String prefix, List<RuntimeException> failures) {
        for (int i = 0; writing.get(); i++) {
            String name = prefix + i;
            try {
                database.write(c -> insert(c, name));
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
    }

    /** Occupies the group-commit writer until the returned gate opens. */
    private CountDownLatch holdTheWriter() throws InterruptedException {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        submit(() -> database.write(c -> {
            running.countDown();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "gate";
        }));
        assertTrue(running.await(10, TimeUnit.SECONDS), "the writer never picked up the gate");
        return gate;
    }

    private void awaitQueued(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (database.queuedWrites() < count) {
            if (System.nanoTime() > deadline) {
                fail("only " + database.queuedWrites() + " of " + count + " writes queued");
            }
            Thread.sleep(1);
        }
    }

    private <T> CompletableFuture<T> submit(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, callers);
    }

    private static Throwable failureOf(CompletableFuture<?> outcome) throws InterruptedException {
        try {
            outcome.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            fail("no outcome within 10 s");
        }
        return fail("expected a failure, got " + outcome.join());
    }

    private static String insert(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings (name, setting_value) VALUES (?, 'v')")) {
            ps.setString(1, name);
            ps.executeUpdate();
        }
        return name;
    }

    private Set<String> names() {
        return database.read(c -> {
            Set<String> names = new TreeSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM settings");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }
}

package dev.breakwater.ops;

import dev.breakwater.http.idempotency.IdempotencyRecords;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes expired idempotency records in small batches on a background thread, so expiry never
 * blocks a request and no single delete holds locks for long.
 */
public final class IdempotencySweeper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IdempotencySweeper.class.getName());
    private static final int BATCH = 500;
    /** One batch is a short transaction; this only bounds a stuck one. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final ScheduledExecutorService scheduler;
    private volatile boolean closing;

    private IdempotencySweeper(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static IdempotencySweeper start(IdempotencyRecords records, Duration interval) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "idempotency-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        IdempotencySweeper sweeper = new IdempotencySweeper(scheduler);
        scheduler.scheduleWithFixedDelay(() -> sweeper.sweep(records), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return sweeper;
    }

    private void sweep(IdempotencyRecords records) {
        try {
            int deleted;
            do {
                deleted = records.sweep(BATCH);
            } while (deleted == BATCH && !closing);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "idempotency sweep failed; will retry next interval", e);
        }
    }

    /**
     * Lets a sweep in progress finish its batch, then stops. Not by interrupting it: an interrupt
     * in the middle of H2's file I/O closes the file, and the batch would fail half-way.
     */
    @Override
    public void close() {
        closing = true;
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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

    private final ScheduledExecutorService scheduler;

    private IdempotencySweeper(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    public static IdempotencySweeper start(IdempotencyRecords records, Duration interval) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "idempotency-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(() -> sweep(records), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return new IdempotencySweeper(scheduler);
    }

    static void sweep(IdempotencyRecords records) {
        try {
            int deleted;
            do {
                deleted = records.sweep(BATCH);
            } while (deleted == BATCH && !Thread.currentThread().isInterrupted());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "idempotency sweep failed; will retry next interval", e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}

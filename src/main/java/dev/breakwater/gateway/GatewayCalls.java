package dev.breakwater.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakwater.domain.DomainException;
import dev.breakwater.common.Json;
import dev.breakwater.processor.ProcessorException;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every call through the gateway goes through, whichever edge it came in on: the in-flight
 * limit, the processor key check, and one JSON log line with the caller's {@code traceparent}.
 */
final class GatewayCalls {
    /** The gateway is at its in-flight limit: gRPC RESOURCE_EXHAUSTED, HTTP 429. Nothing was done. */
    static final class Overloaded extends RuntimeException {
        Overloaded(int limit) {
            super("processor gateway at its limit of " + limit + " calls in flight", null, false, false);
        }
    }

    /** The processor key column's width: a longer key could not be remembered. */
    private static final int MAX_KEY_LENGTH = 64;

    private final Semaphore inFlight;
    private final int limit;
    private final PrintStream log;

    GatewayCalls(int maxInFlight, PrintStream log) {
        this.inFlight = new Semaphore(maxInFlight);
        this.limit = maxInFlight;
        this.log = log;
    }

    /** Calls admitted and not yet answered. */
    int inFlight() {
        return limit - inFlight.availablePermits();
    }

    <T> T run(String transport, String operation, String processorKey, String traceparent, Supplier<T> work) {
        return run(transport, operation, processorKey, traceparent, work, result -> "approved");
    }

    <T> T run(String transport, String operation, String processorKey, String traceparent, Supplier<T> work,
              Function<T, String> outcomeOf) {
        long start = System.nanoTime();
        String outcome = "error";
        boolean admitted = inFlight.tryAcquire();
        try {
            if (!admitted) {
                outcome = "overloaded";
                throw new Overloaded(limit);
            }
            if (processorKey == null || processorKey.isEmpty() || processorKey.length() > MAX_KEY_LENGTH) {
                outcome = "invalid";
                throw new DomainException.Unprocessable("/processor_key",
                        "A processor key of 1-" + MAX_KEY_LENGTH + " characters is required on every call.");
            }
            T result = work.get();
            outcome = outcomeOf.apply(result);
            return result;
        } catch (ProcessorException e) {
            outcome = e.outcome();
            throw e;
        } catch (DomainException e) {
            outcome = "invalid";
            throw e;
        } finally {
            if (admitted) {
                inFlight.release();
            }
            log(transport, operation, processorKey, traceparent, outcome, System.nanoTime() - start);
        }
    }

    private void log(String transport, String operation, String key, String traceparent, String outcome, long nanos) {
        ObjectNode line = Json.object()
                .put("component", "processor-gateway")
                .put("transport", transport)
                .put("operation", operation)
                .put("processor_key", key)
                .put("outcome", outcome)
                .put("duration_ms", nanos / 1_000_000.0);
        if (traceparent != null) {
            line.put("traceparent", traceparent);
        }
        log.println(new String(Json.write(line), StandardCharsets.UTF_8));
    }
}

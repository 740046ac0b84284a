package dev.breakwater.observability;

import dev.breakwater.domain.DomainException;
import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.processor.ProcessorException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Decorates the processor port with a timer and a JFR event per call. Outcomes: {@code approved}
 * (authorized, or the capture/cancel/refund was accepted), {@code declined}, {@code invalid}
 * (rejected as a bad request, e.g. an unknown sandbox token), {@code error}, {@code timeout},
 * {@code unavailable}. A storm usually starts here: errors and timeouts make clients retry.
 * Every call is also tagged with its {@code transport} ({@code sandbox}, {@code http} or
 * {@code grpc}), so a gateway's wire shows apart from the processor behind it.
 */
final class ObservedProcessor implements PaymentProcessor {
    static final String CALLS = "breakwater.processor.calls";
    static final List<String> OPERATIONS = List.of("authorize", "capture", "cancel", "refund");
    static final List<String> OUTCOMES = List.of("approved", "declined", "invalid", "error", "timeout", "unavailable");

    private final PaymentProcessor delegate;
    private final Meter.MeterProvider<Timer> calls;
    private final String transport;

    ObservedProcessor(PaymentProcessor delegate, MeterRegistry registry, String transport) {
        this.delegate = delegate;
        this.transport = transport;
        this.calls = Timer.builder(CALLS)
                .description("Calls to the card processor by operation and outcome, with latency")
                .serviceLevelObjectives(HttpMetrics.LATENCY_BUCKETS)
                .withRegistry(registry);
        // At 0 from the start, so the failing-processor alert's ratio has its series before the first failure.
        for (String operation : OPERATIONS) {
            OUTCOMES.forEach(outcome -> calls.withTags("operation", operation, "outcome", outcome, "transport", transport));
        }
    }

    @Override
    public Authorization authorize(String processorKey, String reference, long amount, String currency,
                                   String paymentMethod, boolean capture) {
        return call("authorize", () -> delegate.authorize(processorKey, reference, amount, currency, paymentMethod, capture),
                authorization -> authorization.approved() ? "approved" : "declined");
    }

    @Override
    public void capture(String processorKey, String chargeId, long amount) {
        call("capture", () -> {
            delegate.capture(processorKey, chargeId, amount);
            return null;
        }, ignored -> "approved");
    }

    @Override
    public void cancel(String processorKey, String chargeId) {
        call("cancel", () -> {
            delegate.cancel(processorKey, chargeId);
            return null;
        }, ignored -> "approved");
    }

    @Override
    public String refund(String processorKey, String chargeId, long amount) {
        return call("refund", () -> delegate.refund(processorKey, chargeId, amount), ignored -> "approved");
    }

    private <T> T call(String operation, Supplier<T> work, Function<T, String> outcomeOf) {
        ProcessorCallEvent event = new ProcessorCallEvent();
        event.begin();
        long start = System.nanoTime();
        String outcome = "error";
        try {
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
            calls.withTags("operation", operation, "outcome", outcome, "transport", transport)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            event.end();
            if (event.shouldCommit()) {
                event.operation = operation;
                event.outcome = outcome;
                event.transport = transport;
                event.commit();
            }
        }
    }
}

package dev.breakwater.http.ratelimit;

import dev.breakwater.processor.PaymentProcessor;
import dev.breakwater.support.ForwardingProcessor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A processor whose authorizations for {@link #SLOW_AMOUNT} wait until the test opens the gate,
 * so a test knows exactly how many requests are in flight without relying on timing. Other
 * amounts pass straight through.
 */
final class GatedProcessor extends ForwardingProcessor {
    static final long SLOW_AMOUNT = 4242;

    private final CountDownLatch gate = new CountDownLatch(1);
    private final Semaphore arrivals = new Semaphore(0);

    GatedProcessor(PaymentProcessor delegate) {
        super(delegate);
    }

    /** Waits until {@code count} more slow authorizations are being held. */
    void awaitHeld(int count) throws InterruptedException {
        if (!arrivals.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError(count + " slow processor calls never arrived");
        }
    }

    void open() {
        gate.countDown();
    }

    @Override
    public Authorization authorize(String processorKey, String reference, long amount, String currency,
                                   String paymentMethod, boolean capture) {
        if (amount == SLOW_AMOUNT) {
            arrivals.release();
            try {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("gate never opened");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return delegate.authorize(processorKey, reference, amount, currency, paymentMethod, capture);
    }
}

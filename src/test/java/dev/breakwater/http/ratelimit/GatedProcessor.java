package dev.breakwater.http.ratelimit;

import dev.breakwater.processor.PaymentProcessor;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A processor whose authorizations for {@link #SLOW_AMOUNT} wait until the test opens the gate,
 * so a test knows exactly how many requests are in flight without relying on timing. Other
 * amounts pass straight through.
 */
final class GatedProcessor implements PaymentProcessor {
    static final long SLOW_AMOUNT = 4242;

    private final PaymentProcessor delegate;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final Semaphore arrivals = new Semaphore(0);

    GatedProcessor(PaymentProcessor delegate) {
        this.delegate = delegate;
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

    @Override
    public void capture(String processorKey, String chargeId, long amount) {
        delegate.capture(processorKey, chargeId, amount);
    }

    @Override
    public void cancel(String processorKey, String chargeId) {
        delegate.cancel(processorKey, chargeId);
    }

    @Override
    public String refund(String processorKey, String chargeId, long amount) {
        return delegate.refund(processorKey, chargeId, amount);
    }
}

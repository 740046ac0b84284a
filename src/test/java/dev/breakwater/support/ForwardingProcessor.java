package dev.breakwater.support;

import dev.breakwater.processor.PaymentProcessor;

/** A processor that forwards every call; tests override the one call they want to misbehave. */
public abstract class ForwardingProcessor implements PaymentProcessor {
    protected final PaymentProcessor delegate;

    protected ForwardingProcessor(PaymentProcessor delegate) {
        this.delegate = delegate;
    }

    @Override
    public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
        return delegate.authorize(key, ref, amount, currency, pm, capture);
    }

    @Override
    public void capture(String key, String chargeId, long amount) {
        delegate.capture(key, chargeId, amount);
    }

    @Override
    public void cancel(String key, String chargeId) {
        delegate.cancel(key, chargeId);
    }

    @Override
    public String refund(String key, String chargeId, long amount) {
        return delegate.refund(key, chargeId, amount);
    }
}

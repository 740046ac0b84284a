package dev.breakwater.support;

import dev.breakwater.processor.PaymentProcessor;

/** A processor adapter with a bug: authorizations throw an exception nobody mapped (so a 500). */
public final class BuggyProcessor extends ForwardingProcessor {
    public BuggyProcessor(PaymentProcessor delegate) {
        super(delegate);
    }

    @Override
    public Authorization authorize(String key, String ref, long amount, String currency, String pm, boolean capture) {
        throw new IllegalStateException("simulated bug in a processor adapter");
    }
}

package dev.breakwater.domain;

/** Money is an integer count of the currency's minor unit (2000 = $20.00); this is the largest one request may move. */
public final class Money {
    public static final long MAX_AMOUNT = 99_999_999L;

    private Money() {
    }
}

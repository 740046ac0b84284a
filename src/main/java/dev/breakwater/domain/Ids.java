package dev.breakwater.domain;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Prefixed opaque ids: {@code pay_} + 24 random base62 characters (~143 bits). */
public final class Ids {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static final String CUSTOMER = "cus_";
    public static final String PAYMENT = "pay_";
    public static final String REFUND = "re_";
    public static final String EVENT = "evt_";
    public static final String REQUEST = "req_";
    public static final String CHARGE = "ch_";

    private Ids() {
    }

    public static String next(String prefix) {
        return next(prefix, LENGTH);
    }

    public static String next(String prefix, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return prefix + new String(out);
    }

    /**
     * A request id ({@code req_...}): unique, not unguessable. Request ids are printed in every
     * response and log line, so they need no secure randomness, and drawing 24 characters from
     * the shared, locked SecureRandom was the largest single cost of a rejected (429) request.
     */
    public static String nextRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] out = new char[REQUEST.length() + LENGTH];
        REQUEST.getChars(0, REQUEST.length(), out, 0);
        for (int i = REQUEST.length(); i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    public static Pattern pattern(String prefix) {
        return Pattern.compile("^" + Pattern.quote(prefix) + "[0-9A-Za-z]{" + LENGTH + "}$");
    }

    public static boolean matches(String prefix, String candidate) {
        return candidate != null && candidate.length() == prefix.length() + LENGTH
                && candidate.startsWith(prefix)
                && candidate.substring(prefix.length()).chars().allMatch(Ids::isBase62);
    }

    private static boolean isBase62(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}

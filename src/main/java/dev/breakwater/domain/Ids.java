package dev.breakwater.domain;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Prefixed opaque ids: {@code pay_} + 24 base62 characters, of which the first 8 are the creation
 * time in milliseconds and the other 16 are random (about 95 bits from {@link SecureRandom}).
 * <p>
 * Why time first: every id is a key in a B-tree index, and a random key lands in a random leaf
 * page, so each insert rewrites a different page and H2 writes it out again at the next store.
 * With the time in front, new ids sort after older ones and inserts touch the index's right edge,
 * which cut page writes and file growth under load (docs/performance.md). The random part keeps
 * ids unguessable; clients must still treat ids as opaque strings (the order is not part of the
 * contract, and {@code seq}, not the id, orders every list).
 */
public final class Ids {
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final int LENGTH = 24;
    /** 62^8 ms is about 6,900 years, and the alphabet is in ASCII order, so string order is time order. */
    private static final int TIME_CHARS = 8;
    /** The largest multiple of 62 in a byte: bytes at or above it are redrawn, so every character is equally likely. */
    private static final int UNBIASED_BYTE_LIMIT = 248;
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

    /** {@code length} must exceed {@value #TIME_CHARS}: the time, then {@code length - 8} random characters. */
    public static String next(String prefix, int length) {
        if (length <= TIME_CHARS) {
            throw new IllegalArgumentException("an id needs more than " + TIME_CHARS + " characters");
        }
        char[] out = new char[prefix.length() + length];
        prefix.getChars(0, prefix.length(), out, 0);
        long millis = System.currentTimeMillis();
        for (int i = prefix.length() + TIME_CHARS - 1; i >= prefix.length(); i--) {
            out[i] = ALPHABET[(int) (millis % ALPHABET.length)];
            millis /= ALPHABET.length;
        }
        // One draw for the whole random part (NativePRNG reads the OS source under a lock on every
        // call), with 8 spare bytes so that a redrawn byte rarely costs a second call.
        byte[] random = new byte[length];
        int filled = prefix.length() + TIME_CHARS;
        while (filled < out.length) {
            RANDOM.nextBytes(random);
            for (int i = 0; i < random.length && filled < out.length; i++) {
                int b = random[i] & 0xff;
                if (b < UNBIASED_BYTE_LIMIT) {
                    out[filled++] = ALPHABET[b % ALPHABET.length];
                }
            }
        }
        return new String(out);
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

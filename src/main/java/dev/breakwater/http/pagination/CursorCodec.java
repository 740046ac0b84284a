package dev.breakwater.http.pagination;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque, tamper-evident cursors. A cursor is base64url of
 * {@code version(1) | position(8) | account-hash(8) | filter-hash(8) | HMAC-SHA256(16)}: the
 * HMAC (keyed by a server secret) makes edits detectable, and the hashes bind the cursor to the
 * account and the filters it was issued for.
 */
public final class CursorCodec {
    private static final byte VERSION = 1;
    private static final int PAYLOAD = 1 + 8 + 8 + 8;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = PAYLOAD + MAC_BYTES;

    private final SecretKeySpec key;

    public CursorCodec(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("cursor secret must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Where a walk resumes: rows strictly older than {@code position}. */
    public String encode(long position, String accountId, String filters) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.put(VERSION).putLong(position).putLong(hash(accountId)).putLong(hash(filters));
        buffer.put(mac(buffer.array(), PAYLOAD));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    public long decode(String cursor, String accountId, String filters) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid("The cursor is not one this API issued (not valid base64url). Use next_cursor exactly as returned.");
        }
        if (bytes.length != LENGTH || bytes[0] != VERSION) {
            throw invalid("The cursor is not one this API issued (wrong length or version). Use next_cursor exactly as returned.");
        }
        byte[] expected = mac(bytes, PAYLOAD);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(bytes, PAYLOAD, LENGTH))) {
            throw invalid("The cursor has been modified or was not issued by this API. Use next_cursor exactly as returned.");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, PAYLOAD - 1);
        long position = buffer.getLong();
        if (buffer.getLong() != hash(accountId)) {
            throw invalid("The cursor was issued to a different account.");
        }
        if (buffer.getLong() != hash(filters)) {
            throw invalid("The cursor was issued for different filters (" + describe(filters)
                    + " expected to match the first page). Repeat the first page's filters, or start again without a cursor.");
        }
        return position;
    }

    private static String describe(String filters) {
        return filters.isEmpty() ? "none given now" : "now: " + filters;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_CURSOR, detail);
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(data, 0, length);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}

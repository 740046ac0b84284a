package dev.breakwater.http.pagination;

import dev.breakwater.common.Sha256;
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
 * Opaque, tamper-evident cursors. A cursor is unpadded base64url of
 * {@code version(1) | position(8) | account(8) | list(8) | filters(8) | HMAC-SHA256(16)}: the
 * HMAC (keyed by a server secret) makes any edit detectable, and the three SHA-256 prefixes bind
 * the cursor to the account, the list (e.g. {@code /v1/payments}) and the filters it was issued
 * for, so it cannot be replayed against other data. Nothing in it is meant for clients to read.
 */
public final class CursorCodec {
    private static final byte VERSION = 2;
    private static final int PAYLOAD = 1 + 8 + 8 + 8 + 8;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = PAYLOAD + MAC_BYTES;
    /** Unpadded base64 length of {@link #LENGTH} bytes; anything longer is rejected before decoding. */
    private static final int ENCODED_LENGTH = (LENGTH * 8 + 5) / 6;
    private static final String USE_AS_RETURNED = " Pass next_cursor exactly as it was returned, or start again without a cursor.";

    /** What a cursor is bound to: who asked, for which list, with which filters (canonical form). */
    public record Scope(String account, String list, String filters) {
    }

    private final SecretKeySpec key;

    public CursorCodec(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the cursor secret (BREAKWATER_CURSOR_SECRET) must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /** Where a walk resumes: rows strictly older than {@code position}, in the same scope. */
    public String encode(long position, Scope scope) {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.put(VERSION).putLong(position)
                .putLong(hash(scope.account())).putLong(hash(scope.list())).putLong(hash(scope.filters()));
        buffer.put(mac(buffer.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    /** The position inside {@code cursor}, if it was issued by this server for exactly this scope; else a 400. */
    public long decode(String cursor, Scope scope) {
        if (cursor.length() != ENCODED_LENGTH) {
            throw invalid("The cursor is not one this API issued (wrong length)." + USE_AS_RETURNED);
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid("The cursor is not one this API issued (not base64url)." + USE_AS_RETURNED);
        }
        // The decoder ignores the unused low bits of the last character, so two strings can decode
        // to the same bytes: insist on the one form we issue, so that no edit to the string passes.
        if (bytes[0] != VERSION || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(cursor)) {
            throw invalid("The cursor is not one this API issued (wrong version or encoding)." + USE_AS_RETURNED);
        }
        if (!MessageDigest.isEqual(mac(bytes), Arrays.copyOfRange(bytes, PAYLOAD, LENGTH))) {
            throw invalid("The cursor has been modified or was not issued by this API (its signature does not match)."
                    + USE_AS_RETURNED);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, PAYLOAD - 1);
        long position = buffer.getLong();
        if (buffer.getLong() != hash(scope.account())) {
            throw invalid("The cursor was issued to a different account; a cursor only works for the API key's account"
                    + " that received it.");
        }
        if (buffer.getLong() != hash(scope.list())) {
            throw invalid("The cursor was issued for a different list than " + scope.list()
                    + "; use it only with the list that returned it.");
        }
        if (buffer.getLong() != hash(scope.filters())) {
            throw invalid("The cursor was issued for different filters than this request's ("
                    + (scope.filters().isEmpty() ? "none" : scope.filters())
                    + "). Repeat the filters of the request that returned it, or start again without a cursor.");
        }
        return position;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_CURSOR, detail);
    }

    private byte[] mac(byte[] cursor) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(cursor, 0, PAYLOAD);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static long hash(String text) {
        return ByteBuffer.wrap(Sha256.digest(text)).getLong();
    }
}

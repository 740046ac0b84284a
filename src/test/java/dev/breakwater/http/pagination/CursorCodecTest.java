package dev.breakwater.http.pagination;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CursorCodecTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final CursorCodec.Scope SCOPE = new CursorCodec.Scope("acct_a", "/v1/payments", "status=succeeded");

    private final CursorCodec codec = new CursorCodec(SECRET);

    @Test
    void decodesThePositionItEncoded() {
        for (long position : new long[]{1, 42, 1L << 40, Long.MAX_VALUE}) {
            String cursor = codec.encode(position, SCOPE);

            assertEquals(position, codec.decode(cursor, SCOPE));
        }
    }

    @Test
    void cursorIsUrlSafeAndRevealsNoPlainText() {
        String cursor = codec.encode(42, SCOPE);

        assertTrue(cursor.chars().allMatch(c -> BASE64URL.indexOf(c) >= 0), cursor);
        String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.ISO_8859_1);
        assertTrue(!decoded.contains("acct_a") && !decoded.contains("payments") && !decoded.contains("succeeded"));
    }

    @Test
    void rejectsEveryCursorWithOneBitFlipped() {
        byte[] bytes = Base64.getUrlDecoder().decode(codec.encode(42, SCOPE));
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);

            assertInvalid(tampered, SCOPE, "");
        }
    }

    @Test
    void rejectsEveryCursorWithOneCharacterChanged() {
        String cursor = codec.encode(42, SCOPE);
        for (int i = 0; i < cursor.length(); i++) {
            for (char replacement : new char[]{'A', 'B', 'f', '_'}) {
                if (cursor.charAt(i) != replacement) {
                    String tampered = cursor.substring(0, i) + replacement + cursor.substring(i + 1);

                    assertInvalid(tampered, SCOPE, "");
                }
            }
        }
    }

    @Test
    void rejectsEditOfTheLastCharacterThatDecodesToTheSameBytes() {
        // Given a cursor whose last character carries 4 unused bits, and an edit of just those bits
        String cursor = codec.encode(42, SCOPE);
        int last = BASE64URL.indexOf(cursor.charAt(cursor.length() - 1));
        String edited = cursor.substring(0, cursor.length() - 1) + BASE64URL.charAt(last ^ 0b0001);
        assertArrayEquals(Base64.getUrlDecoder().decode(cursor), Base64.getUrlDecoder().decode(edited),
                "the JDK decoder ignores the unused bits");

        // Then the codec still refuses the edited string
        assertInvalid(edited, SCOPE, "wrong version or encoding");
    }

    @Test
    void rejectsTruncatedAndExtendedCursors() {
        String cursor = codec.encode(42, SCOPE);

        assertInvalid(cursor.substring(0, cursor.length() - 1), SCOPE, "wrong length");
        assertInvalid(cursor.substring(0, cursor.length() / 2), SCOPE, "wrong length");
        assertInvalid(cursor + "A", SCOPE, "wrong length");
        assertInvalid("", SCOPE, "wrong length");
    }

    @Test
    void rejectsGarbageThatIsNotBase64url() {
        String cursor = codec.encode(42, SCOPE);
        String sameLengthGarbage = "!".repeat(cursor.length());
        String standardBase64 = cursor.substring(0, cursor.length() - 1) + "+";

        assertInvalid(sameLengthGarbage, SCOPE, "not base64url");
        assertInvalid(standardBase64, SCOPE, "not base64url");
        assertInvalid("not-a-cursor", SCOPE, "wrong length");
    }

    @Test
    void rejectsCursorIssuedToAnotherAccount() {
        String cursor = codec.encode(42, SCOPE);

        assertInvalid(cursor, new CursorCodec.Scope("acct_b", "/v1/payments", "status=succeeded"), "different account");
    }

    @Test
    void rejectsCursorIssuedForOtherFilters() {
        String cursor = codec.encode(42, SCOPE);

        assertInvalid(cursor, new CursorCodec.Scope("acct_a", "/v1/payments", "status=failed"),
                "different filters than this request's (status=failed)");
        assertInvalid(cursor, new CursorCodec.Scope("acct_a", "/v1/payments", ""), "(none)");
    }

    @Test
    void rejectsCursorIssuedForAnotherList() {
        String cursor = codec.encode(42, new CursorCodec.Scope("acct_a", "/v1/customers", ""));

        assertInvalid(cursor, new CursorCodec.Scope("acct_a", "/v1/events", ""), "different list than /v1/events");
    }

    @Test
    void rejectsCursorSignedWithAnotherSecret() {
        CursorCodec otherServer = new CursorCodec("another secret of at least 32 bytes".getBytes(StandardCharsets.UTF_8));
        String cursor = otherServer.encode(42, SCOPE);

        assertInvalid(cursor, SCOPE, "signature does not match");
    }

    @Test
    void refusesSecretsShorterThan32Bytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CursorCodec("too short".getBytes(StandardCharsets.UTF_8)));

        assertTrue(e.getMessage().contains("BREAKWATER_CURSOR_SECRET"), e.getMessage());
    }

    private void assertInvalid(String cursor, CursorCodec.Scope scope, String detailContains) {
        ProblemException e = assertThrows(ProblemException.class, () -> codec.decode(cursor, scope), cursor);
        assertEquals(ProblemType.INVALID_CURSOR, e.type());
        assertTrue(e.detail().contains(detailContains), e.detail());
    }
}

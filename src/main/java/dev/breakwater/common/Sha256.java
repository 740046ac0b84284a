package dev.breakwater.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one SHA-256 helper: key hashes, request fingerprints and cursor scopes all digest UTF-8 text. */
public final class Sha256 {
    /** Never updated, only cloned: a clone skips the provider lookup {@code getInstance} does (1.6% of a read). */
    private static final MessageDigest PROTOTYPE = lookUp();

    private Sha256() {
    }

    /** The digest of the UTF-8 bytes of {@code parts}, concatenated. */
    public static byte[] digest(String... parts) {
        MessageDigest sha = newDigest();
        for (String part : parts) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    /** The same digest as lowercase hex (64 characters). */
    public static String hex(String... parts) {
        return HexFormat.of().formatHex(digest(parts));
    }

    private static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp();
        }
    }

    private static MessageDigest lookUp() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}

package dev.breakwater.accounts;

import dev.breakwater.common.Sha256;
import dev.breakwater.store.Database;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts and their secret API keys. Only a SHA-256 of each key is stored (keys are long and
 * random, so a fast hash suffices); the hashes are cached so authentication costs one hash and
 * one map lookup, with no database work on the request path. Each key also has a
 * {@link #quickCheck} (a 64-bit checksum), which lets the bad-key limiter tell "may be valid"
 * from "certainly not" for the price of a loop over the key's characters.
 */
public final class Accounts {
    private final Database database;
    private final Clock clock;
    private final Map<String, String> accountByKeyHash = new ConcurrentHashMap<>();
    private final Set<Long> quickChecks = ConcurrentHashMap.newKeySet();

    public Accounts(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** Creates the account (if new) and registers the key for it. */
    public void register(String accountId, String secret) {
        String hash = hash(secret);
        database.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO accounts (id, created_at) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM accounts WHERE id = ?)")) {
                ps.setString(1, accountId);
                ps.setLong(2, clock.millis());
                ps.setString(3, accountId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO api_keys (key_hash, account_id, created_at, quick_check) SELECT ?, ?, ?, ? "
                            + "WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = ?)")) {
                ps.setString(1, hash);
                ps.setString(2, accountId);
                ps.setLong(3, clock.millis());
                ps.setLong(4, quickCheck(secret));
                ps.setString(5, hash);
                ps.executeUpdate();
            }
            fillQuickCheck(c, hash, quickCheck(secret));
            return null;
        });
        loadKeys();
    }

    public boolean isEmpty() {
        return database.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM accounts")) {
                rs.next();
                return rs.getLong(1) == 0;
            }
        });
    }

    public void loadKeys() {
        database.read(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT key_hash, account_id, quick_check FROM api_keys")) {
                while (rs.next()) {
                    accountByKeyHash.put(rs.getString(1), rs.getString(2));
                    long check = rs.getLong(3);
                    if (!rs.wasNull()) {
                        quickChecks.add(check);
                    }
                }
            }
            return null;
        });
    }

    /** The accounts that have a key, as loaded: a bounded set, so metrics may label by it. */
    public java.util.Set<String> accountIds() {
        return java.util.Set.copyOf(accountByKeyHash.values());
    }

    public Optional<String> authenticate(String secret) {
        String hash = hash(secret);
        String account = accountByKeyHash.get(hash);
        if (account != null && quickChecks.add(quickCheck(secret))) {
            // A key registered before quick checks existed: remember its check from now on.
            database.write(c -> {
                fillQuickCheck(c, hash, quickCheck(secret));
                return null;
            });
        }
        return Optional.ofNullable(account);
    }

    /**
     * Whether the secret may be a registered key: false means it certainly is not (a random
     * guess passes with odds of about keys / 2^64), and answering costs no SHA-256 and no
     * allocation. The bad-key limiter asks this of requests from a locked-out address.
     */
    public boolean mayBeValid(String secret) {
        return quickChecks.contains(quickCheck(secret));
    }

    /** FNV-1a over the key's chars, finished with MurmurHash3's fmix64 so every bit depends on every char. */
    static long quickCheck(String secret) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < secret.length(); i++) {
            h = (h ^ secret.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }

    private static void fillQuickCheck(java.sql.Connection c, String hash, long check) throws java.sql.SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE api_keys SET quick_check = ? WHERE key_hash = ? AND quick_check IS NULL")) {
            ps.setLong(1, check);
            ps.setString(2, hash);
            ps.executeUpdate();
        }
    }

    public static String newSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "sk_test_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String secret) {
        return Sha256.hex(secret);
    }
}

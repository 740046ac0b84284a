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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts and their secret API keys. Only a SHA-256 of each key is stored (keys are long and
 * random, so a fast hash suffices); the hashes are cached so authentication costs one hash and
 * one map lookup, with no database work on the request path.
 */
public final class Accounts {
    private final Database database;
    private final Clock clock;
    private final Map<String, String> accountByKeyHash = new ConcurrentHashMap<>();

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
                    "INSERT INTO api_keys (key_hash, account_id, created_at) SELECT ?, ?, ? "
                            + "WHERE NOT EXISTS (SELECT 1 FROM api_keys WHERE key_hash = ?)")) {
                ps.setString(1, hash);
                ps.setString(2, accountId);
                ps.setLong(3, clock.millis());
                ps.setString(4, hash);
                ps.executeUpdate();
            }
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
            try (ResultSet rs = c.createStatement().executeQuery("SELECT key_hash, account_id FROM api_keys")) {
                while (rs.next()) {
                    accountByKeyHash.put(rs.getString(1), rs.getString(2));
                }
            }
            return null;
        });
    }

    public Optional<String> authenticate(String secret) {
        return Optional.ofNullable(accountByKeyHash.get(hash(secret)));
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

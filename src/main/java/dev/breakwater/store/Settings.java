package dev.breakwater.store;

import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;

/** Small named server settings kept in the database, e.g. the generated cursor-signing secret. */
public final class Settings {
    private final Database database;

    public Settings(Database database) {
        this.database = database;
    }

    /**
     * The configured secret if given, else one generated on first start and kept, so cursors
     * stay valid across restarts.
     */
    public byte[] secret(String name, String configured) {
        if (configured != null) {
            return configured.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        String stored = database.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT setting_value FROM settings WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            String encoded = Base64.getEncoder().encodeToString(fresh);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO settings (name, setting_value) VALUES (?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, encoded);
                ps.executeUpdate();
            }
            return encoded;
        });
        return Base64.getDecoder().decode(stored);
    }

}

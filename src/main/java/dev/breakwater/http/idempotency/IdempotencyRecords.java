package dev.breakwater.http.idempotency;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.domain.Ids;
import dev.breakwater.common.Json;
import dev.breakwater.http.Response;
import dev.breakwater.store.Database;
import dev.breakwater.store.StoreException;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The durable idempotency records: one row per (account, key). All state changes are single
 * short transactions; the final one runs inside the handler's own transaction so the record and
 * the resource change commit together.
 * <p>
 * The in-flight lock is the row itself, so it holds across nodes sharing one PostgreSQL: {@link #begin}
 * reads the row {@code FOR UPDATE} (concurrent begins for one key queue on the row lock, for a
 * few milliseconds) and marks it {@code locked_at}/{@code locked_by}; that mark, not a database
 * lock, is what the attempt holds while it calls the processor, so a node that dies leaves a row
 * whose mark any node may take over once it is older than the lock timeout. Every later write of
 * the attempt checks {@code locked_by}, so an attempt that lost its lock can no longer commit.
 */
public final class IdempotencyRecords {
    public static final String STARTED = "started";
    public static final String FINISHED = "finished";
    /** Response headers worth replaying; others (Request-Id, RateLimit) belong to the new request. */
    private static final Set<String> REPLAYED_HEADERS = Set.of("Content-Type", "Location", "ETag");

    private final Database database;
    private final Clock clock;
    private final Duration ttl;
    private final Duration lockTimeout;

    public IdempotencyRecords(Database database, Clock clock, Duration ttl, Duration lockTimeout) {
        this.database = database;
        this.clock = clock;
        this.ttl = ttl;
        this.lockTimeout = lockTimeout;
    }

    Duration lockTimeout() {
        return lockTimeout;
    }

    /** What {@link #begin} found. */
    sealed interface Begin {
    }

    record Replay(Response response) implements Begin {
    }

    record Mismatch() implements Begin {
    }

    record InFlight(long lockedForMillis) implements Begin {
    }

    /** This attempt holds the lock; {@code resumed} when an earlier attempt got partway. */
    record Started(String recordId, String lockToken, String recoveryPoint, String resourceId, boolean resumed)
            implements Begin {
    }

    /**
     * @param reservedResourceId the id the request's resource will have (or null), recorded with the
     *                           new record in the same transaction so a resumed attempt reuses it
     */
    Begin begin(String accountId, String key, String method, String path, String fingerprint, String reservedResourceId) {
        try {
            return tryBegin(accountId, key, method, path, fingerprint, reservedResourceId);
        } catch (StoreException e) {
            if (!e.isUniqueViolation()) {
                throw e;
            }
            // Another node inserted the same new key first (one node's StripedLocks cannot stop
            // that): our insert waited for its commit and failed. Its row exists now, so looking
            // again answers in-flight (or replays), as for any second attempt.
            return tryBegin(accountId, key, method, path, fingerprint, reservedResourceId);
        }
    }

    private Begin tryBegin(String accountId, String key, String method, String path, String fingerprint,
                           String reservedResourceId) {
        return database.write(c -> {
            long now = clock.millis();
            Optional<Row> existing = lockRow(c, accountId, key);
            if (existing.isPresent() && existing.get().expiresAt() <= now) {
                delete(c, existing.get().id());
                existing = Optional.empty();
            }
            String token = Ids.next("lk_", 20);
            if (existing.isEmpty()) {
                String id = Ids.next("idk_", 24);
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO idempotency_keys (id, account_id, idempotency_key, request_method, request_path,
                          fingerprint, created_at, expires_at, last_run_at, locked_at, locked_by, recovery_point, resource_id)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                    ps.setString(1, id);
                    ps.setString(2, accountId);
                    ps.setString(3, key);
                    ps.setString(4, method);
                    ps.setString(5, path);
                    ps.setString(6, fingerprint);
                    ps.setLong(7, now);
                    ps.setLong(8, now + ttl.toMillis());
                    ps.setLong(9, now);
                    ps.setLong(10, now);
                    ps.setString(11, token);
                    ps.setString(12, STARTED);
                    ps.setString(13, reservedResourceId);
                    ps.executeUpdate();
                }
                return new Started(id, token, STARTED, reservedResourceId, false);
            }
            Row row = existing.get();
            if (!row.fingerprint().equals(fingerprint)) {
                return new Mismatch();
            }
            if (row.responseStatus() != null) {
                return new Replay(row.response());
            }
            if (row.lockedAt() != null && now - row.lockedAt() < lockTimeout.toMillis()) {
                return new InFlight(now - row.lockedAt());
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE idempotency_keys SET locked_at = ?, locked_by = ?, last_run_at = ? WHERE id = ?")) {
                ps.setLong(1, now);
                ps.setString(2, token);
                ps.setLong(3, now);
                ps.setString(4, row.id());
                ps.executeUpdate();
            }
            return new Started(row.id(), token, row.recoveryPoint(), row.resourceId(), true);
        });
    }

    void checkpoint(Connection c, Started attempt, String recoveryPoint, String resourceId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE idempotency_keys SET recovery_point = ?, resource_id = ?
                WHERE id = ? AND locked_by = ?""")) {
            ps.setString(1, recoveryPoint);
            ps.setString(2, resourceId);
            ps.setString(3, attempt.recordId());
            ps.setString(4, attempt.lockToken());
            if (ps.executeUpdate() != 1) {
                throw new LostLockException();
            }
        }
    }

    /**
     * Stores the final response on the caller's connection, inside its transaction. Fails (and so
     * rolls back the caller's whole transaction) if another attempt took the lock over meanwhile.
     */
    void complete(Connection c, Started attempt, Response response) throws SQLException {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().forEach((name, value) -> {
            if (REPLAYED_HEADERS.contains(name)) {
                headers.put(name, value);
            }
        });
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE idempotency_keys
                SET response_status = ?, response_headers = ?, response_body = ?, recovery_point = ?,
                    locked_at = NULL, locked_by = NULL
                WHERE id = ? AND locked_by = ?""")) {
            ps.setInt(1, response.status());
            ps.setString(2, Json.writeString(headers));
            ps.setString(3, new String(response.body(), StandardCharsets.UTF_8));
            ps.setString(4, FINISHED);
            ps.setString(5, attempt.recordId());
            ps.setString(6, attempt.lockToken());
            if (ps.executeUpdate() != 1) {
                throw new LostLockException();
            }
        }
    }

    void complete(Started attempt, Response response) {
        database.write(c -> {
            complete(c, attempt, response);
            return null;
        });
    }

    /** Gives up this attempt without a final result: the next retry resumes from the recovery point. */
    void release(Started attempt) {
        database.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE idempotency_keys SET locked_at = NULL, locked_by = NULL WHERE id = ? AND locked_by = ?")) {
                ps.setString(1, attempt.recordId());
                ps.setString(2, attempt.lockToken());
                ps.executeUpdate();
                return null;
            }
        });
    }

    /** Deletes up to {@code batch} expired records; returns how many. */
    public int sweep(int batch) {
        return database.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM idempotency_keys WHERE id IN
                      (SELECT id FROM idempotency_keys WHERE expires_at <= ? ORDER BY expires_at FETCH FIRST ? ROWS ONLY)""")) {
                ps.setLong(1, clock.millis());
                ps.setInt(2, batch);
                return ps.executeUpdate();
            }
        });
    }

    private static void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM idempotency_keys WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static Optional<Row> lockRow(Connection c, String accountId, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, fingerprint, expires_at, locked_at, recovery_point, resource_id,
                       response_status, response_headers, response_body
                FROM idempotency_keys WHERE account_id = ? AND idempotency_key = ? FOR UPDATE""")) {
            ps.setString(1, accountId);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long lockedAt = rs.getLong(4);
                Long locked = rs.wasNull() ? null : lockedAt;
                int status = rs.getInt(7);
                Integer responseStatus = rs.wasNull() ? null : status;
                return Optional.of(new Row(rs.getString(1), rs.getString(2), rs.getLong(3), locked, rs.getString(5),
                        rs.getString(6), responseStatus, rs.getString(8), rs.getString(9)));
            }
        }
    }

    private record Row(String id, String fingerprint, long expiresAt, Long lockedAt, String recoveryPoint,
                       String resourceId, Integer responseStatus, String responseHeaders, String responseBody) {
        Response response() {
            Map<String, String> headers = Json.read(responseHeaders, HEADER_MAP);
            return new Response(responseStatus, headers, responseBody.getBytes(StandardCharsets.UTF_8), problemType(headers));
        }

        /** A replayed problem (a stored decline, say) keeps its type for logs and metrics. */
        private String problemType(Map<String, String> headers) {
            String contentType = headers.get("Content-Type");
            if (contentType == null || !contentType.startsWith(Response.PROBLEM_JSON)) {
                return null;
            }
            JsonNode type = Json.parse(responseBody).get("type");
            return type == null || !type.isTextual() ? null : type.asText();
        }
    }

    private static final TypeReference<LinkedHashMap<String, String>> HEADER_MAP = new TypeReference<>() {
    };

    /** Another attempt took this request over (our lock went stale); our work must not commit. */
    static final class LostLockException extends RuntimeException {
        LostLockException() {
            super("idempotency lock was taken over by a newer attempt", null, false, false);
        }
    }
}

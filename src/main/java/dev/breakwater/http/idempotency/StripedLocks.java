package dev.breakwater.http.idempotency;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of locks picked by hash: same-key requests inside one node queue here for the
 * short "begin" transaction instead of racing to the database. Correctness does not depend on
 * it (the unique constraint and row lock do); it only keeps the losers off the database.
 */
final class StripedLocks {
    private final ReentrantLock[] stripes;

    StripedLocks(int count) {
        stripes = new ReentrantLock[count];
        for (int i = 0; i < count; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock lockFor(String accountId, String key) {
        int h = (accountId.hashCode() * 31) ^ key.hashCode();
        h ^= h >>> 16;
        return stripes[Math.floorMod(h, stripes.length)];
    }
}

/**
 * Storage plumbing: the {@link dev.breakwater.store.Database} on its two engines (embedded H2 with
 * its group-committed, fsynced write path and compaction; or a shared PostgreSQL behind HikariCP),
 * the migrations they share, the account-scoped row read and the keyset list query.
 */
package dev.breakwater.store;

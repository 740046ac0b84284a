/** Storage plumbing: the embedded H2 database, its pool, migrations, the durable (group-committed) write path, the account-scoped row read and the keyset list query. */
package dev.breakwater.store;

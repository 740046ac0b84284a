/** Storage plumbing: the embedded H2 database, its pool, migrations, the durable (group-committed) write path and the keyset list query. */
package dev.breakwater.store;

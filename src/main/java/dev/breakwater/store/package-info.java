/** Storage plumbing: the embedded H2 database, its pool, migrations, and the durable (group-committed) write path. */
package dev.breakwater.store;

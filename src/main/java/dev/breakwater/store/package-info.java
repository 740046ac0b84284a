/** Storage plumbing: the embedded H2 database, its pool, transactions, migrations and the keyset list query. */
package dev.breakwater.store;

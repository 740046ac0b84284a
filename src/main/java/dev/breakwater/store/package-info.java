/** Storage plumbing: the embedded H2 database, its pool, transactions and migrations. */
package dev.breakwater.store;

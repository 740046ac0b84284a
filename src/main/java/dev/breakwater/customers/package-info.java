/** Customers: the record and its PATCH and If-Match rules, its table, and its endpoints; {@code Customers.exists} is the port payments use. */
package dev.breakwater.customers;

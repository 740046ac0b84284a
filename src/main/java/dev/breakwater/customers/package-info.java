/** Customers: the record, its table and its endpoints. */
package dev.breakwater.customers;

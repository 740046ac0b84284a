/** Accounts, hashed secret keys and bearer authentication. */
package dev.breakwater.accounts;

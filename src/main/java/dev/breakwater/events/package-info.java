/** The append-only event feed, written in the same transaction as each change it describes. */
package dev.breakwater.events;

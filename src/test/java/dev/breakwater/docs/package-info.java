/** Tests that run what the documentation tells a reader to run, as printed. */
package dev.breakwater.docs;

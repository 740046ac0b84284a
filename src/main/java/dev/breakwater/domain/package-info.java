/** Vocabulary shared by every feature: domain failures and typed, prefixed ids. */
package dev.breakwater.domain;

/** Keyset pagination: the tamper-evident cursor codec, list-parameter parsing and list responses. */
package dev.breakwater.http.pagination;

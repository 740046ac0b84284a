/**
 * The internal processor gateway (docs/grpc.md): the sandbox processor and its ledger in a
 * process of their own, served over gRPC and over the HTTP/JSON shape the edge's HTTP client speaks.
 */
package dev.breakwater.gateway;

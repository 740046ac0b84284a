/** The contract gate: break diff against the published spec, provider verification, spec-driven negative tests and spec lint (docs/contract.md). */
package dev.breakwater.contract;

/**
 * What on-call sees: Prometheus metrics, JSON access logs, JFR events and the built-in dashboard,
 * fed by the request observer, a first filter and a processor decorator; knows no feature.
 */
package dev.breakwater.observability;

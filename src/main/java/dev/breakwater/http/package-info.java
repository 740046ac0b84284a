/** HTTP machinery that knows no feature: request/response values, the router, body reading, problems and the server pipeline. */
package dev.breakwater.http;

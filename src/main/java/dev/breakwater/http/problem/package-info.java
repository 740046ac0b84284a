/** RFC 9457 problem details: the problem-type table and the exception that carries one. */
package dev.breakwater.http.problem;

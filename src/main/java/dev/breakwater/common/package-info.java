/** Small helpers every layer may use and none owns: the JSON configuration, SHA-256, and the environment reader. */
package dev.breakwater.common;

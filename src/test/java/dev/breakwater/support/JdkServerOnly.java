package dev.breakwater.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test of a guard that the JDK's built-in HTTP server provides and robaho's provider (1.0.29)
 * does not, so the robaho pass of the suite excludes the {@value #TAG} tag. Each use names the
 * guard; docs/performance.md ("The two providers") says what that costs a robaho deployment.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(JdkServerOnly.TAG)
public @interface JdkServerOnly {
    String TAG = "jdk-server-only";
}

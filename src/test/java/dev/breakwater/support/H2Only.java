package dev.breakwater.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test about the embedded H2 engine itself (its fsync and group commit, compaction, crash
 * recovery of its file, its query plans), so it runs only in the H2 pass of the suite; the
 * PostgreSQL pass ({@link TestStore}) excludes the {@value #TAG} tag. The engine's SQL and
 * every behaviour through the API are covered on both stores by the other tests.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(H2Only.TAG)
public @interface H2Only {
    String TAG = "h2-only";
}

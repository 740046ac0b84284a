package dev.breakwater.support;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test about several nodes sharing one PostgreSQL (or about PostgreSQL itself): it runs only
 * in the PostgreSQL pass of the suite (see {@link TestStore}); the H2 pass excludes the
 * {@value #TAG} tag, since an embedded store cannot be shared by two nodes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(PostgresOnly.TAG)
public @interface PostgresOnly {
    String TAG = "postgresql-only";
}

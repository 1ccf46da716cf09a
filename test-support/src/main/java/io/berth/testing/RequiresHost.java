package io.berth.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a test class or method needs from the host; {@link BerthExtension} checks it before the
 * tests run and FAILS them (never skips) naming what to install.
 *
 * <pre>{@code @RequiresHost({Requirement.ROOT, Requirement.CRUN, Requirement.HUGETLB_V1})}</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface RequiresHost {
  HostRequirements.Requirement[] value();
}

package io.berth.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@link BerthExtension} runs the {@link BerthdProcess} it injects into a test class.
 *
 * <pre>{@code
 * @ExtendWith(BerthExtension.class)
 * @BerthdConfig(perMethod = true, extraToml = {"[cni]", "conf_dir = \"/tmp/my-cni\""})
 * class SandboxIT { ... }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface BerthdConfig {
  /** A fresh berthd for each test method instead of one for the whole class. */
  boolean perMethod() default false;

  /** Lines of TOML placed with the top-level keys (before any table). */
  String[] extraTopLevelToml() default {};

  /** Lines of TOML appended at the end (tables). */
  String[] extraToml() default {};

  String logLevel() default "debug";

  /** JVM flags of the berthd child process. */
  String[] jvmArgs() default {"-XX:+UseSerialGC"};

  /** Whether leftover processes or mounts after berthd stops fail the test. */
  boolean failOnLeftovers() default true;
}

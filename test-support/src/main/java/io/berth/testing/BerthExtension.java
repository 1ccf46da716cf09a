package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The berth test environment as a JUnit 5 extension. Test methods, lifecycle methods and
 * constructors may declare parameters of these types:
 *
 * <ul>
 *   <li>{@link TestImages}: the image cache (one per JVM).
 *   <li>{@link RegistryFixture}: a plain-HTTP docker-registry on 127.0.0.1 with the standard images
 *       pushed (one per JVM, started on first use, stopped after the last test).
 *   <li>{@link PushedImages}: what was pushed there, with tags and digests.
 *   <li>{@link BerthdProcess}: berthd on temp dirs, mirroring docker.io, registry.k8s.io and gcr.io
 *       to that registry (one per test class, or per method with {@code @BerthdConfig(perMethod = true)};
 *       stopped and cleaned up afterwards).
 * </ul>
 *
 * Host needs named with {@link RequiresHost} are checked first. When a test fails, the end of
 * berthd's log is attached to the failure.
 */
public final class BerthExtension implements ParameterResolver, BeforeAllCallback, BeforeEachCallback,
    TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BerthExtension.class);
  private static final String IMAGES = "images";
  private static final String REGISTRY = "registry";
  private static final String BERTHD = "berthd";
  private static final int LOG_TAIL_LINES = 60;

  /** The per-JVM registry and what was pushed to it; closed by JUnit with the root store. */
  private record SharedRegistry(RegistryFixture registry, PushedImages pushed) implements AutoCloseable {
    @Override
    public void close() {
      registry.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getTestClass().ifPresent(c -> requireHost(AnnotationSupport.findAnnotation(c, RequiresHost.class)));
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getTestMethod().ifPresent(m -> requireHost(AnnotationSupport.findAnnotation(m, RequiresHost.class)));
  }

  private static void requireHost(Optional<RequiresHost> annotation) {
    annotation.ifPresent(a -> HostRequirements.require(Arrays.asList(a.value())));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestImages.class || type == RegistryFixture.class || type == PushedImages.class
        || type == BerthdProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    try {
      if (type == TestImages.class) {
        return images(context);
      } else if (type == RegistryFixture.class) {
        return registry(context).registry();
      } else if (type == PushedImages.class) {
        return registry(context).pushed();
      } else if (type == BerthdProcess.class) {
        return berthd(context);
      }
    } catch (UncheckedIOException e) {
      throw new ParameterResolutionException("cannot provide " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    throw new ParameterResolutionException("BerthExtension does not provide " + type);
  }

  /** The image cache, shared by every test in this JVM. */
  public static TestImages images(ExtensionContext context) {
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(IMAGES, k -> {
      HostRequirements.require(HostRequirements.IMAGES);
      return TestImages.openDefault();
    }, TestImages.class);
  }

  private static SharedRegistry registry(ExtensionContext context) {
    TestImages images = images(context);
    return context.getRoot().getStore(NS).getOrComputeIfAbsent(REGISTRY, k -> {
      RegistryFixture registry;
      try {
        registry = RegistryFixture.startPlain();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the test registry", e);
      }
      try {
        PushedImages pushed = registry.pusher(images.blobs()).pushStandardImages(images, registry.hostPort());
        return new SharedRegistry(registry, pushed);
      } catch (IOException | RuntimeException e) {
        registry.close();
        throw new UncheckedIOException("cannot push the test images: " + e.getMessage(),
            e instanceof IOException io ? io : new IOException(e));
      }
    }, SharedRegistry.class);
  }

  private static BerthdProcess berthd(ExtensionContext context) {
    Optional<BerthdConfig> config = context.getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, BerthdConfig.class));
    boolean perMethod = config.map(BerthdConfig::perMethod).orElse(false);
    ExtensionContext owner = perMethod && context.getTestMethod().isPresent() ? context : classContext(context);
    SharedRegistry shared = registry(context);
    return owner.getStore(NS).getOrComputeIfAbsent(BERTHD, k -> {
      HostRequirements.require(HostRequirements.Requirement.ROOT);
      BerthdProcess.Builder b = BerthdProcess.builder().registry(shared.registry());
      config.ifPresent(c -> {
        b.logLevel(c.logLevel()).jvmArgs(c.jvmArgs()).failOnLeftovers(c.failOnLeftovers());
        if (c.extraTopLevelToml().length > 0) {
          b.extraTopLevelToml(String.join("\n", c.extraTopLevelToml()));
        }
        if (c.extraToml().length > 0) {
          b.extraToml(String.join("\n", c.extraToml()));
        }
      });
      return b.start();
    }, BerthdProcess.class);
  }

  /** The context of the test class a method (or nested class) runs in. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withBerthdLog(context, failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withBerthdLog(context, failure);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withBerthdLog(context, failure);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withBerthdLog(context, failure);
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withBerthdLog(context, failure);
  }

  /** Attaches (and prints) the end of berthd's log, when this test has a berthd. */
  private static Throwable withBerthdLog(ExtensionContext context, Throwable failure) {
    BerthdProcess berthd = context.getStore(NS).get(BERTHD, BerthdProcess.class);
    if (berthd != null) {
      String tail = berthd.logTail(LOG_TAIL_LINES);
      System.err.println("--- last " + LOG_TAIL_LINES + " lines of " + berthd.logFile() + " ---\n" + tail);
      failure.addSuppressed(new BerthdLog(berthd.logFile() + " ends with:\n" + tail));
    }
    return failure;
  }

  /** Carries berthd's log tail into the test report; it has no stack of its own. */
  static final class BerthdLog extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BerthdLog(String message) {
      super(message, null, false, false);
    }
  }
}

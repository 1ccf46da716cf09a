package io.berth.testing;

import java.util.Optional;

/** The platform of an image as an index lists it ({@code os/architecture[/variant]}). */
public record Platform(String os, String architecture, Optional<String> variant) {
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", Optional.empty());
  public static final Platform LINUX_ARM64_V8 = new Platform("linux", "arm64", Optional.of("v8"));

  public Platform {
    if (os.isEmpty() || architecture.isEmpty()) {
      throw new IllegalArgumentException("os and architecture must be set");
    }
  }

  @Override
  public String toString() {
    return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
  }
}

package io.berth.server.image.manifest;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks the manifest of an index that runs on a platform, variant-aware like containerd: an exact
 * variant wins, then the best lower compatible variant (an amd64 v3 host runs v2 and v1 images,
 * an arm v7 host runs v6 and v5), then an entry without variant. Entries without a platform
 * (attestations, unknown/unknown) never match.
 */
public final class PlatformMatcher {
  private final Platform host;

  public PlatformMatcher(Platform host) {
    this.host = host;
  }

  public Platform host() {
    return host;
  }

  public Optional<Descriptor> select(List<Descriptor> manifests) {
    return manifests.stream()
        .filter(d -> d.platform() != null && rank(d.platform()) >= 0)
        .max(Comparator.comparingInt((Descriptor d) -> rank(d.platform())));
  }

  /** How well {@code p} fits the host: -1 does not run; higher is better. Ties keep index order. */
  int rank(Platform p) {
    if (!p.os().equals(host.os()) || !sameArchitecture(p.architecture(), host.architecture())) {
      return -1;
    }
    if (p.variant().isEmpty() || normalisedVariant(p).equals(normalisedVariant(host))) {
      return p.variant().isEmpty() ? 1 : 1000;
    }
    int want = level(host.architecture(), normalisedVariant(host));
    int have = level(p.architecture(), normalisedVariant(p));
    if (want < 0 || have < 0 || have > want) {
      return -1;
    }
    // a closer lower level is better than a farther one, all beat "no variant"
    return 10 + have;
  }

  private static boolean sameArchitecture(String a, String b) {
    return canonicalArch(a).equals(canonicalArch(b));
  }

  private static String canonicalArch(String a) {
    return switch (a) {
      case "x86_64", "x86-64" -> "amd64";
      case "aarch64" -> "arm64";
      default -> a;
    };
  }

  private static String normalisedVariant(Platform p) {
    String arch = canonicalArch(p.architecture());
    if (arch.equals("arm64") && (p.variant().isEmpty() || p.variant().equals("8"))) {
      return "v8";
    }
    if (arch.equals("amd64") && p.variant().isEmpty()) {
      return "v1";
    }
    return p.variant();
  }

  private static int level(String arch, String variant) {
    if (!variant.matches("v[0-9]+")) {
      return -1;
    }
    String a = canonicalArch(arch);
    if (a.equals("amd64") || a.equals("arm") || a.equals("arm64")) {
      return Integer.parseInt(variant.substring(1));
    }
    return -1;
  }
}

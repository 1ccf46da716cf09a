package io.berth.server.image.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An OCI platform: os, architecture and the optional variant ({@code v7} for arm, {@code v8} for
 * arm64, {@code v2}/{@code v3}/{@code v4} micro-architecture levels for amd64).
 */
public record Platform(String os, String architecture, String variant) {
  public Platform {
    os = os == null ? "" : os;
    architecture = architecture == null ? "" : architecture;
    variant = variant == null ? "" : variant;
  }

  /** The platform this JVM runs on, with the amd64 level read from the CPU flags. */
  public static Platform host() {
    String arch = switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "arm" -> "arm";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      case "riscv64" -> "riscv64";
      default -> System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    };
    String variant = switch (arch) {
      case "amd64" -> amd64Level(cpuFlags());
      case "arm64" -> "v8";
      default -> "";
    };
    return new Platform("linux", arch, variant);
  }

  /** The x86-64 micro-architecture level (psABI) the CPU flags satisfy: v1..v4. */
  static String amd64Level(Set<String> flags) {
    List<String> v2 = List.of("cx16", "lahf_lm", "popcnt", "sse4_1", "sse4_2", "ssse3");
    List<String> v3 = List.of("avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe", "xsave");
    List<String> v4 = List.of("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl");
    if (!flags.containsAll(v2)) {
      return "v1";
    }
    if (!flags.containsAll(v3)) {
      return "v2";
    }
    return flags.containsAll(v4) ? "v4" : "v3";
  }

  private static Set<String> cpuFlags() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          int colon = line.indexOf(':');
          return Set.of(line.substring(colon + 1).trim().split("\\s+"));
        }
      }
    } catch (IOException | RuntimeException e) {
      // no cpuinfo: assume the baseline level
    }
    return Set.of();
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}

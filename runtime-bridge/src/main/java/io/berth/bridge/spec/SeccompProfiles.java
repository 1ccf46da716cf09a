package io.berth.bridge.spec;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.bridge.Errors;
import io.berth.bridge.spec.oci.Oci;
import io.berth.bridge.spec.oci.OciJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Turns a seccomp profile into the OCI {@code linux.seccomp} section. Profiles may be written in
 * Docker's format (an {@code archMap}, and rules with {@code includes}/{@code excludes} conditions
 * on capabilities, architectures and kernel version) or directly in the OCI format; the conditions
 * are evaluated here against the container's capabilities and the host, as Docker and CRI-O do.
 * berth's RuntimeDefault profile is the resource {@code seccomp-default.json} in this package.
 */
public final class SeccompProfiles {
  private static final String DEFAULT_RESOURCE = "seccomp-default.json";

  private SeccompProfiles() {}

  /** The parsed RuntimeDefault profile (before evaluation). */
  public static JsonNode runtimeDefault() {
    try (InputStream in = SeccompProfiles.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      return OciJson.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a Localhost profile; a malformed one is the caller's error. */
  public static JsonNode parse(byte[] json, String field) {
    try {
      JsonNode node = OciJson.mapper().readTree(json);
      if (node == null || !node.isObject() || !node.hasNonNull("defaultAction")) {
        throw Errors.invalidArgument(field + ": seccomp profile has no defaultAction");
      }
      return node;
    } catch (IOException e) {
      throw Errors.invalidArgument(field + ": seccomp profile is not valid JSON: " + e.getMessage());
    }
  }

  /**
   * Evaluates a profile for a container.
   *
   * @param capabilities the container's bounding set, which {@code includes.caps} and
   *     {@code excludes.caps} are tested against
   */
  public static Oci.Seccomp evaluate(JsonNode profile, Set<String> capabilities, String arch, KernelVersion kernel) {
    String goArch = goArch(arch);
    List<String> architectures = new ArrayList<>();
    JsonNode archMap = profile.path("archMap");
    if (archMap.isArray() && archMap.size() > 0) {
      String native_ = scmpArch(arch);
      for (JsonNode entry : archMap) {
        if (native_.equals(entry.path("architecture").asText())) {
          architectures.add(native_);
          entry.path("subArchitectures").forEach(s -> architectures.add(s.asText()));
        }
      }
    } else {
      profile.path("architectures").forEach(a -> architectures.add(a.asText()));
    }
    List<String> flags = new ArrayList<>();
    profile.path("flags").forEach(f -> flags.add(f.asText()));

    List<Oci.Syscall> syscalls = new ArrayList<>();
    for (JsonNode rule : profile.path("syscalls")) {
      if (!applies(rule.path("includes"), rule.path("excludes"), capabilities, goArch, kernel)) {
        continue;
      }
      List<String> names = new ArrayList<>();
      rule.path("names").forEach(n -> names.add(n.asText()));
      if (rule.hasNonNull("name")) {
        names.add(rule.get("name").asText());
      }
      if (names.isEmpty()) {
        continue;
      }
      List<Oci.SyscallArg> args = null;
      if (rule.path("args").isArray() && rule.get("args").size() > 0) {
        args = new ArrayList<>();
        for (JsonNode a : rule.get("args")) {
          Long valueTwo = a.hasNonNull("valueTwo") && a.get("valueTwo").asLong() != 0 ? a.get("valueTwo").asLong() : null;
          args.add(new Oci.SyscallArg(a.path("index").asInt(), a.path("value").asLong(), valueTwo, a.path("op").asText()));
        }
      }
      Integer errnoRet = rule.hasNonNull("errnoRet") ? rule.get("errnoRet").asInt() : null;
      syscalls.add(new Oci.Syscall(names, rule.path("action").asText(), errnoRet, args));
    }
    Integer defaultErrnoRet = profile.hasNonNull("defaultErrnoRet") ? profile.get("defaultErrnoRet").asInt() : null;
    return new Oci.Seccomp(profile.path("defaultAction").asText(), defaultErrnoRet,
        architectures.isEmpty() ? null : architectures, flags.isEmpty() ? null : flags, syscalls);
  }

  private static boolean applies(JsonNode includes, JsonNode excludes, Set<String> caps, String goArch,
      KernelVersion kernel) {
    for (JsonNode cap : includes.path("caps")) {
      if (!caps.contains(cap.asText())) {
        return false;
      }
    }
    if (includes.path("arches").isArray() && includes.get("arches").size() > 0
        && !contains(includes.get("arches"), goArch)) {
      return false;
    }
    if (includes.hasNonNull("minKernel") && kernel.compareTo(KernelVersion.parse(includes.get("minKernel").asText())) < 0) {
      return false;
    }
    for (JsonNode cap : excludes.path("caps")) {
      if (caps.contains(cap.asText())) {
        return false;
      }
    }
    return !contains(excludes.path("arches"), goArch);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode v : array) {
      if (value.equals(v.asText())) {
        return true;
      }
    }
    return false;
  }

  /** Docker's {@code includes.arches} use Go's GOARCH names. */
  static String goArch(String arch) {
    return switch (arch) {
      case "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      case "i386", "i686" -> "386";
      default -> arch;
    };
  }

  static String scmpArch(String arch) {
    return switch (arch) {
      case "x86_64" -> "SCMP_ARCH_X86_64";
      case "aarch64" -> "SCMP_ARCH_AARCH64";
      case "ppc64le" -> "SCMP_ARCH_PPC64LE";
      case "s390x" -> "SCMP_ARCH_S390X";
      case "riscv64" -> "SCMP_ARCH_RISCV64";
      default -> "SCMP_ARCH_" + arch.toUpperCase(java.util.Locale.ROOT);
    };
  }
}

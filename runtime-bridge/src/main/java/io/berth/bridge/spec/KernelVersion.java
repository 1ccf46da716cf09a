package io.berth.bridge.spec;

/** Major.minor of the running kernel, for {@code minKernel} conditions in seccomp profiles. */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {

  /** Parses {@code uname -r} style text ("6.18.44-fc-v595", "4.8"); unparsable parts count as 0. */
  public static KernelVersion parse(String release) {
    String[] parts = release.trim().split("[.-]");
    return new KernelVersion(number(parts, 0), number(parts, 1));
  }

  private static int number(String[] parts, int i) {
    if (i >= parts.length) {
      return 0;
    }
    String digits = parts[i].replaceAll("[^0-9].*$", "");
    return digits.isEmpty() ? 0 : Integer.parseInt(digits);
  }

  @Override
  public int compareTo(KernelVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }
}

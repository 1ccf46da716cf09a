package io.berth.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The calling process's mount table, read from {@code /proc/self/mountinfo}. Used to make setup
 * idempotent (is this directory already a mount point?) and to prove teardown left no mount behind.
 * Each call reads the file afresh: the table changes under us and is cheap to read.
 */
public final class MountTable {
  /** One line of mountinfo: where it is mounted, the filesystem type and the source. */
  public record Entry(Path mountPoint, String fsType, String source, String optionalFields) {
    /** True when mount events under this point propagate to peers ("shared:N" tag). */
    public boolean isShared() {
      return optionalFields.contains("shared:");
    }
  }

  private final Path mountInfo;

  public MountTable() {
    this(Path.of("/proc/self/mountinfo"));
  }

  /** For tests: parse a mountinfo file other than our own. */
  public MountTable(Path mountInfo) {
    this.mountInfo = mountInfo;
  }

  public List<Entry> entries() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (String line : Files.readAllLines(mountInfo)) {
      Entry e = parse(line);
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  public boolean isMountPoint(Path path) throws IOException {
    Path p = path.toAbsolutePath().normalize();
    for (Entry e : entries()) {
      if (e.mountPoint().equals(p)) {
        return true;
      }
    }
    return false;
  }

  /** The last (topmost) entry mounted exactly at {@code path}, or null. */
  public Entry find(Path path) throws IOException {
    Path p = path.toAbsolutePath().normalize();
    Entry found = null;
    for (Entry e : entries()) {
      if (e.mountPoint().equals(p)) {
        found = e;
      }
    }
    return found;
  }

  /** Mount points strictly below or at {@code dir}, in mount order. */
  public List<Path> mountPointsUnder(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    List<Path> out = new ArrayList<>();
    for (Entry e : entries()) {
      if (e.mountPoint().startsWith(d)) {
        out.add(e.mountPoint());
      }
    }
    return out;
  }

  /**
   * Format (proc(5)): {@code id parent major:minor root mountpoint options [optional...] - fstype
   * source superoptions}. Paths escape space, tab, newline and backslash as octal.
   */
  static Entry parse(String line) {
    String[] f = line.split(" ");
    if (f.length < 10) {
      return null;
    }
    int dash = -1;
    for (int i = 6; i < f.length; i++) {
      if (f[i].equals("-")) {
        dash = i;
        break;
      }
    }
    if (dash < 0 || dash + 2 >= f.length) {
      return null;
    }
    StringBuilder optional = new StringBuilder();
    for (int i = 6; i < dash; i++) {
      optional.append(optional.length() == 0 ? "" : " ").append(f[i]);
    }
    return new Entry(Path.of(unescape(f[4])), f[dash + 1], unescape(f[dash + 2]), optional.toString());
  }

  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean isOctal(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
  }
}

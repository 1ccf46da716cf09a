package io.berth.bridge.spec;

import io.berth.bridge.Errors;
import io.berth.cri.v1.LinuxContainerSecurityContext;
import io.berth.cri.v1.SupplementalGroupsPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Resolves the user a container runs as, the way containerd does: {@code run_as_username} or
 * {@code run_as_user} (with {@code run_as_group}) from the security context, else the image's
 * {@code User}; names looked up in the image's /etc/passwd and /etc/group; a numeric uid not in
 * /etc/passwd gets gid 0. Additional gids are the primary gid, the image's groups listing the user
 * (unless the policy is Strict) and the security context's supplemental groups, sorted.
 */
public final class UserResolver {

  /** The rootfs' /etc/passwd and /etc/group, as text (empty when the image has none). */
  public record EtcFiles(String passwd, String group) {
    public static EtcFiles of(Path rootfs) {
      try {
        return new EtcFiles(RootfsFiles.read(rootfs, "/etc/passwd").orElse(""),
            RootfsFiles.read(rootfs, "/etc/group").orElse(""));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read /etc/passwd or /etc/group of " + rootfs, e);
      }
    }
  }

  record PasswdEntry(String name, long uid, long gid) {}

  record GroupEntry(String name, long gid, List<String> members) {}

  private UserResolver() {}

  public static ResolvedUser resolve(LinuxContainerSecurityContext sc, ImageConfig image, Path rootfs) {
    return resolve(sc, image, EtcFiles.of(rootfs));
  }

  public static ResolvedUser resolve(LinuxContainerSecurityContext sc, ImageConfig image, EtcFiles etc) {
    List<PasswdEntry> passwd = parsePasswd(etc.passwd());
    List<GroupEntry> groups = parseGroups(etc.group());

    String userSpec = criUserSpec(sc);
    String field = "linux.security_context";
    if (userSpec.isEmpty()) {
      userSpec = image.user();
      field = "image config User";
    }
    long uid = 0;
    long gid = 0;
    if (!userSpec.isEmpty()) {
      String[] parts = userSpec.split(":", 2);
      if (parts.length == 1) {
        Optional<Long> numeric = number(parts[0]);
        if (numeric.isPresent()) {
          uid = numeric.get();
          final long u = uid;
          gid = passwd.stream().filter(p -> p.uid() == u).findFirst().map(PasswdEntry::gid).orElse(0L);
        } else {
          PasswdEntry entry = byName(passwd, parts[0], field);
          uid = entry.uid();
          gid = entry.gid();
        }
      } else {
        uid = number(parts[0]).orElseGet(() -> byName(passwd, parts[0], "").uid());
        gid = number(parts[1]).orElseGet(() -> groups.stream().filter(g -> g.name().equals(parts[1]))
            .findFirst().map(GroupEntry::gid)
            .orElseThrow(() -> Errors.invalidArgument("group \"" + parts[1] + "\" not found in the image's /etc/group")));
      }
    }

    TreeSet<Long> additional = new TreeSet<>();
    additional.add(gid);
    if (sc.getSupplementalGroupsPolicy() != SupplementalGroupsPolicy.Strict) {
      String member = memberName(sc, image, uid, passwd);
      if (member != null) {
        for (GroupEntry g : groups) {
          if (!g.name().equals(member) && g.members().contains(member)) {
            additional.add(g.gid());
          }
        }
      }
    }
    additional.addAll(sc.getSupplementalGroupsList());
    return new ResolvedUser(uid, gid, new ArrayList<>(additional));
  }

  /** containerd's GenerateUserString: the CRI user as {@code user[:group]}, or empty. */
  static String criUserSpec(LinuxContainerSecurityContext sc) {
    String user = "";
    if (sc.hasRunAsUser()) {
      user = Long.toString(sc.getRunAsUser().getValue());
    }
    if (!sc.getRunAsUsername().isEmpty()) {
      user = sc.getRunAsUsername();
    }
    String group = sc.hasRunAsGroup() ? Long.toString(sc.getRunAsGroup().getValue()) : "";
    if (user.isEmpty()) {
      if (!group.isEmpty()) {
        throw Errors.invalidArgument("linux.security_context.run_as_group " + group
            + " is set without run_as_user or run_as_username");
      }
      return "";
    }
    return group.isEmpty() ? user : user + ":" + group;
  }

  /** The name whose group memberships count; null when a numeric uid has no passwd entry. */
  private static String memberName(LinuxContainerSecurityContext sc, ImageConfig image, long uid,
      List<PasswdEntry> passwd) {
    if (!sc.getRunAsUsername().isEmpty()) {
      return sc.getRunAsUsername();
    }
    String spec = sc.hasRunAsUser() ? Long.toString(sc.getRunAsUser().getValue())
        : image.user().isEmpty() ? "0" : image.user().split(":", 2)[0];
    if (number(spec).isEmpty()) {
      return spec;
    }
    return passwd.stream().filter(p -> p.uid() == uid).findFirst().map(PasswdEntry::name).orElse(null);
  }

  private static PasswdEntry byName(List<PasswdEntry> passwd, String name, String field) {
    return passwd.stream().filter(p -> p.name().equals(name)).findFirst()
        .orElseThrow(() -> Errors.invalidArgument((field.isEmpty() ? "" : field + ": ") + "user \"" + name
            + "\" not found in the image's /etc/passwd"));
  }

  private static Optional<Long> number(String s) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(s));
  }

  static List<PasswdEntry> parsePasswd(String text) {
    List<PasswdEntry> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (line.startsWith("#") || f.length < 4) {
        continue;
      }
      Optional<Long> uid = number(f[2].trim());
      Optional<Long> gid = number(f[3].trim());
      if (uid.isPresent() && gid.isPresent()) {
        entries.add(new PasswdEntry(f[0], uid.get(), gid.get()));
      }
    }
    return entries;
  }

  static List<GroupEntry> parseGroups(String text) {
    List<GroupEntry> entries = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (line.startsWith("#") || f.length < 3) {
        continue;
      }
      Optional<Long> gid = number(f[2].trim());
      if (gid.isEmpty()) {
        continue;
      }
      List<String> members = new ArrayList<>();
      if (f.length > 3) {
        for (String m : f[3].split(",")) {
          if (!m.isBlank()) {
            members.add(m.trim());
          }
        }
      }
      entries.add(new GroupEntry(f[0], gid.get(), members));
    }
    return entries;
  }
}

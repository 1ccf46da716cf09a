package io.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Collects the entries of one layer.
 *
 * <p>Ordinary methods take paths like {@code /usr/bin/x} or {@code usr/bin/x}; they are normalised
 * (no leading slash), {@code ..} is refused, missing parent directories are added (0755, root), and
 * a later entry at the same path replaces the earlier one. {@link #raw} adds an entry exactly as
 * given, for hostile layers: {@code ../x}, {@code /etc/x}, duplicates, links to anywhere.
 *
 * <p>Entries are written sorted by name (parents before children) unless {@link #keepOrder()} is
 * called, for hostile layers whose order matters (e.g. a file, then a symlink replacing its parent).
 * Hardlinked groups are rewritten so that the first name in that order holds the content, as tar
 * requires.
 */
public final class LayerBuilder {
  private final LinkedHashMap<String, Item> items = new LinkedHashMap<>();
  private int sequence;
  private boolean keepOrder;
  private Compression compression = Compression.GZIP;
  private String createdBy = "berth test layer";

  private record Item(LayerEntry entry, boolean raw, int seq) {}

  public LayerBuilder keepOrder() {
    this.keepOrder = true;
    return this;
  }

  public LayerBuilder compression(Compression c) {
    this.compression = c;
    return this;
  }

  public Compression compression() {
    return compression;
  }

  /** The history line ({@code created_by}) the image config records for this layer. */
  public LayerBuilder createdBy(String text) {
    this.createdBy = text;
    return this;
  }

  public String createdBy() {
    return createdBy;
  }

  public LayerBuilder file(String path, String text) {
    return file(path, text.getBytes(StandardCharsets.UTF_8), 0644);
  }

  public LayerBuilder file(String path, byte[] content, int mode) {
    return entry(LayerEntry.file(path, mode, LayerEntry.Content.of(content)));
  }

  public LayerBuilder file(String path, int mode, LayerEntry.Content content) {
    return entry(LayerEntry.file(path, mode, content));
  }

  /** A file of {@code size} zero bytes: a decompression bomb when large, since it gzips to almost nothing. */
  public LayerBuilder zeros(String path, long size) {
    return entry(LayerEntry.file(path, 0644, LayerEntry.Content.zeros(size)));
  }

  public LayerBuilder hostFile(String path, Path hostFile, int mode) {
    try {
      return entry(LayerEntry.file(path, mode, LayerEntry.Content.ofHostFile(hostFile)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public LayerBuilder directory(String path, int mode) {
    return entry(LayerEntry.directory(path, mode));
  }

  public LayerBuilder directory(String path, int mode, long uid, long gid) {
    return entry(LayerEntry.directory(path, mode).withOwner(uid, gid));
  }

  public LayerBuilder symlink(String path, String target) {
    return entry(LayerEntry.symlink(path, target));
  }

  /** A hardlink to {@code targetPath}, another (normalised) path of this layer. */
  public LayerBuilder hardlink(String path, String targetPath) {
    return entry(LayerEntry.hardlink(path, normalize(targetPath)));
  }

  public LayerBuilder whiteout(String path) {
    return entry(LayerEntry.whiteout(normalize(path)));
  }

  public LayerBuilder opaqueWhiteout(String dir) {
    return entry(LayerEntry.opaqueWhiteout(normalize(dir)));
  }

  /** Adds an entry under its normalised name, with its parents. */
  public LayerBuilder entry(LayerEntry e) {
    String name = normalize(e.name());
    items.remove(name);
    items.put(name, new Item(e.withName(name), false, sequence++));
    return this;
  }

  /** Adds an entry exactly as given: no normalisation, no parents, duplicates kept. */
  public LayerBuilder raw(LayerEntry e) {
    items.put("\0raw" + sequence, new Item(e, true, sequence++));
    return this;
  }

  /** Everything under {@code dir} at the layer root, owned by root. */
  public LayerBuilder fromDirectory(Path dir) {
    return fromDirectory(dir, "", false);
  }

  /**
   * Everything under {@code dir}, placed under {@code prefix}: modes, symlinks, hardlinks, device
   * nodes and fifos as on disk; owners kept only when {@code keepOwners} (else root).
   */
  public LayerBuilder fromDirectory(Path dir, String prefix, boolean keepOwners) {
    Map<List<Object>, String> firstByInode = new HashMap<>();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(dir)) {
      paths = walk.filter(p -> !p.equals(dir)).sorted(Comparator.comparing(p -> dir.relativize(p).toString())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path p : paths) {
      String name = join(prefix, dir.relativize(p).toString());
      try {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,ino,dev,nlink,rdev", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int perm = mode & 07777;
        LayerEntry e;
        switch (mode & 0170000) {
          case 0040000 -> e = LayerEntry.directory(name, perm);
          case 0120000 -> e = LayerEntry.symlink(name, Files.readSymbolicLink(p).toString());
          case 0020000, 0060000 -> {
            long rdev = (Long) a.get("rdev");
            int major = (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfff));
            int minor = (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xff));
            e = (mode & 0170000) == 0020000
                ? LayerEntry.charDevice(name, perm, major, minor)
                : LayerEntry.blockDevice(name, perm, major, minor);
          }
          case 0010000 -> e = LayerEntry.fifo(name, perm);
          case 0100000 -> {
            List<Object> inode = List.of(a.get("dev"), a.get("ino"));
            String first = (Integer) a.get("nlink") > 1 ? firstByInode.putIfAbsent(inode, name) : null;
            e = first != null
                ? LayerEntry.hardlink(name, first).withMode(perm)
                : LayerEntry.file(name, perm, LayerEntry.Content.ofHostFile(p));
          }
          default -> {
            continue; // sockets cannot be archived
          }
        }
        if (keepOwners) {
          e = e.withOwner(((Number) a.get("uid")).longValue(), ((Number) a.get("gid")).longValue());
        }
        entry(e);
      } catch (IOException ex) {
        throw new UncheckedIOException("cannot archive " + p, ex);
      }
    }
    return this;
  }

  /**
   * Copies {@code path} from {@code sysroot} into the layer at the same path, reproducing every
   * symlink met on the way (e.g. {@code /lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/...}),
   * so the loader finds files in the image where it finds them in the source.
   */
  public LayerBuilder copyFromSysroot(Sysroot sysroot, String path) {
    try {
      copyFrom(sysroot, path, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + path + " from " + sysroot.root(), e);
    }
    return this;
  }

  /** An executable and the interpreter and libraries it needs, all from {@code sysroot}. */
  public LayerBuilder executableWithLibraries(Sysroot sysroot, String path) {
    copyFromSysroot(sysroot, path);
    try {
      for (String dep : sysroot.runtimeDependencies(path)) {
        copyFromSysroot(sysroot, dep);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the libraries of " + path, e);
    }
    return this;
  }

  private void copyFrom(Sysroot sysroot, String path, int depth) throws IOException {
    if (depth > 40) {
      throw new IOException("too many symlinks copying " + path);
    }
    List<String> comps = Sysroot.components(path);
    StringBuilder sofar = new StringBuilder();
    for (int i = 0; i < comps.size(); i++) {
      if (comps.get(i).equals("..")) {
        throw new IOException("'..' in " + path);
      }
      String parentName = sofar.toString();
      if (sofar.length() > 0) {
        sofar.append('/');
      }
      sofar.append(comps.get(i));
      String name = sofar.toString();
      Path host = sysroot.root().resolve(name);
      boolean last = i == comps.size() - 1;
      int perm = (Integer) Files.getAttribute(host, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
      if (Files.isSymbolicLink(host)) {
        String target = Files.readSymbolicLink(host).toString();
        if (!items.containsKey(name)) {
          symlink(name, target);
        }
        String resolved = target.startsWith("/") ? target : parentName + "/" + target;
        String rest = String.join("/", comps.subList(i + 1, comps.size()));
        copyFrom(sysroot, normalizeDots(resolved) + (rest.isEmpty() ? "" : "/" + rest), depth + 1);
        return;
      } else if (last && Files.isRegularFile(host, LinkOption.NOFOLLOW_LINKS)) {
        file(name, perm, LayerEntry.Content.ofHostFile(host));
      } else if (!items.containsKey(name)) {
        directory(name, perm);
      }
    }
  }

  /** The entries in the order they will be written. */
  public List<LayerEntry> entries() {
    List<Item> all = new ArrayList<>(items.values());
    Set<String> names = new HashSet<>();
    for (Item it : all) {
      if (!it.raw()) {
        names.add(it.entry().name());
      }
    }
    // Missing parents of ordinary entries, ordered just before their first child.
    List<Item> withParents = new ArrayList<>();
    Set<String> added = new HashSet<>();
    for (Item it : all) {
      if (!it.raw()) {
        String n = it.entry().name();
        for (int slash = n.indexOf('/'); slash > 0; slash = n.indexOf('/', slash + 1)) {
          String parent = n.substring(0, slash);
          if (!names.contains(parent) && added.add(parent)) {
            withParents.add(new Item(LayerEntry.directory(parent, 0755), false, it.seq()));
          }
        }
      }
      withParents.add(it);
    }
    if (!keepOrder) {
      withParents.sort(Comparator.comparing((Item it) -> it.entry().name()));
      withParents = canonicalHardlinks(withParents);
    }
    return withParents.stream().map(Item::entry).toList();
  }

  /**
   * Tar extracts a hardlink by linking to an entry already extracted, so after sorting, the first
   * member of each group of ordinary hardlinks must be the one carrying the content.
   */
  private static List<Item> canonicalHardlinks(List<Item> sorted) {
    Map<String, LayerEntry> byName = new HashMap<>();
    for (Item it : sorted) {
      if (!it.raw()) {
        byName.put(it.entry().name(), it.entry());
      }
    }
    Map<String, String> rootOf = new HashMap<>(); // member name -> name of the file holding content
    for (Item it : sorted) {
      LayerEntry e = it.entry();
      if (!it.raw() && e.type() == LayerEntry.Type.HARDLINK) {
        String target = e.linkTarget();
        for (int hops = 0; hops < 64; hops++) {
          LayerEntry t = byName.get(target);
          if (t == null || t.type() != LayerEntry.Type.HARDLINK) {
            break;
          }
          target = t.linkTarget();
        }
        LayerEntry t = byName.get(target);
        if (t == null || t.type() != LayerEntry.Type.FILE) {
          throw new IllegalStateException("hardlink " + e.name() + " -> " + e.linkTarget() + " has no file in this layer (use raw() for that)");
        }
        rootOf.put(e.name(), target);
      }
    }
    if (rootOf.isEmpty()) {
      return sorted;
    }
    Set<String> contentFiles = new HashSet<>(rootOf.values());
    Map<String, String> firstOfGroup = new HashMap<>(); // content file -> first member in order
    for (Item it : sorted) {
      String group = groupOf(it, rootOf, contentFiles);
      if (group != null) {
        firstOfGroup.putIfAbsent(group, it.entry().name());
      }
    }
    List<Item> out = new ArrayList<>(sorted.size());
    for (Item it : sorted) {
      String n = it.entry().name();
      String group = groupOf(it, rootOf, contentFiles);
      if (group == null) {
        out.add(it);
        continue;
      }
      LayerEntry content = byName.get(group);
      String first = firstOfGroup.get(group);
      LayerEntry e = n.equals(first)
          ? content.withName(n)
          : new LayerEntry(LayerEntry.Type.HARDLINK, n, content.mode(), content.uid(), content.gid(), null, first, 0, 0, content.xattrs());
      out.add(new Item(e, false, it.seq()));
    }
    return out;
  }

  private static String groupOf(Item it, Map<String, String> rootOf, Set<String> contentFiles) {
    if (it.raw()) {
      return null;
    }
    String n = it.entry().name();
    return rootOf.containsKey(n) ? rootOf.get(n) : contentFiles.contains(n) ? n : null;
  }

  /** Normalises an ordinary path; {@code ..} and empty paths are refused (use {@link #raw}). */
  static String normalize(String path) {
    List<String> comps = Sysroot.components(path);
    if (comps.isEmpty()) {
      throw new IllegalArgumentException("empty path '" + path + "'");
    }
    if (comps.contains("..")) {
      throw new IllegalArgumentException("'..' in '" + path + "': use LayerBuilder.raw() for hostile names");
    }
    return String.join("/", comps);
  }

  private static String normalizeDots(String path) {
    List<String> out = new ArrayList<>();
    for (String c : Sysroot.components(path)) {
      if (c.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else {
        out.add(c);
      }
    }
    return String.join("/", out);
  }

  private static String join(String prefix, String rel) {
    String p = prefix.isEmpty() ? rel : prefix + "/" + rel;
    return normalize(p);
  }
}

package io.berth.server.image.unpack;

import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * One tar header after GNU long names and PAX records are applied. {@code mode} holds the twelve
 * permission bits only; xattr values are raw bytes (capabilities are binary).
 */
public record TarEntry(
    Type type,
    String name,
    String linkName,
    int mode,
    long uid,
    long gid,
    long size,
    FileTime mtime,
    int devMajor,
    int devMinor,
    Map<String, byte[]> xattrs) {

  public enum Type { FILE, HARDLINK, SYMLINK, CHAR_DEVICE, BLOCK_DEVICE, DIRECTORY, FIFO }

  public TarEntry {
    xattrs = Map.copyOf(xattrs);
  }
}

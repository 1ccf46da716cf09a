package io.berth.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the dynamic loader needs to run an executable: its program interpreter and its
 * {@code DT_NEEDED} libraries. Read from the ELF headers directly (64-bit little-endian only), so
 * building the test images needs neither binutils nor running the binary through {@code ldd}.
 */
public record ElfFile(Optional<String> interpreter, List<String> needed) {
  private static final int PT_LOAD = 1;
  private static final int PT_DYNAMIC = 2;
  private static final int PT_INTERP = 3;
  private static final long DT_NULL = 0;
  private static final long DT_NEEDED = 1;
  private static final long DT_STRTAB = 5;

  public ElfFile {
    needed = List.copyOf(needed);
  }

  /** Statically linked: no interpreter and no libraries. */
  public boolean isStatic() {
    return interpreter.isEmpty() && needed.isEmpty();
  }

  public static ElfFile read(Path file) throws IOException {
    ByteBuffer elf;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      elf = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
    }
    if (elf.limit() < 64 || elf.getInt(0) != 0x464c457f) {
      throw new IOException(file + " is not an ELF file");
    }
    if (elf.get(4) != 2 || elf.get(5) != 1) {
      throw new IOException(file + " is not a 64-bit little-endian ELF file");
    }
    long phoff = elf.getLong(0x20);
    int phentsize = Short.toUnsignedInt(elf.getShort(0x36));
    int phnum = Short.toUnsignedInt(elf.getShort(0x38));

    List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
    Optional<String> interpreter = Optional.empty();
    long dynOffset = -1;
    long dynSize = 0;
    for (int i = 0; i < phnum; i++) {
      int ph = Math.toIntExact(phoff + (long) i * phentsize);
      int type = elf.getInt(ph);
      long offset = elf.getLong(ph + 8);
      long vaddr = elf.getLong(ph + 16);
      long filesz = elf.getLong(ph + 32);
      if (type == PT_LOAD) {
        loads.add(new long[] {vaddr, offset, filesz});
      } else if (type == PT_INTERP) {
        interpreter = Optional.of(cString(elf, Math.toIntExact(offset)));
      } else if (type == PT_DYNAMIC) {
        dynOffset = offset;
        dynSize = filesz;
      }
    }
    if (dynOffset < 0) {
      return new ElfFile(interpreter, List.of());
    }
    long strtabVaddr = -1;
    List<Long> neededOffsets = new ArrayList<>();
    for (long at = dynOffset; at + 16 <= dynOffset + dynSize; at += 16) {
      long tag = elf.getLong(Math.toIntExact(at));
      long val = elf.getLong(Math.toIntExact(at + 8));
      if (tag == DT_NULL) {
        break;
      } else if (tag == DT_NEEDED) {
        neededOffsets.add(val);
      } else if (tag == DT_STRTAB) {
        strtabVaddr = val;
      }
    }
    if (neededOffsets.isEmpty()) {
      return new ElfFile(interpreter, List.of());
    }
    long strtab = fileOffset(loads, strtabVaddr, file);
    List<String> needed = new ArrayList<>();
    for (long off : neededOffsets) {
      needed.add(cString(elf, Math.toIntExact(strtab + off)));
    }
    return new ElfFile(interpreter, needed);
  }

  private static long fileOffset(List<long[]> loads, long vaddr, Path file) throws IOException {
    for (long[] load : loads) {
      if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
        return vaddr - load[0] + load[1];
      }
    }
    throw new IOException(file + ": DT_STRTAB address 0x" + Long.toHexString(vaddr) + " is in no segment");
  }

  private static String cString(ByteBuffer buf, int at) {
    int end = at;
    while (buf.get(end) != 0) {
      end++;
    }
    byte[] bytes = new byte[end - at];
    buf.get(at, bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

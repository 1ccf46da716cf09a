package io.berth.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ELF headers of the host's own binaries, and symlinks resolved inside a sysroot. */
class ElfAndSysrootTest {
  private Path dir;

  @BeforeEach
  void setUp() throws IOException {
    dir = Files.createTempDirectory("berth-sysroot-");
  }

  @AfterEach
  void tearDown() throws IOException {
    TempDirs.deleteRecursively(dir);
  }

  @Test
  void dynamicBinaryNamesItsLoaderAndLibc() throws Exception {
    ElfFile ls = ElfFile.read(Path.of("/bin/ls").toRealPath());
    assertEquals(Optional.of("/lib64/ld-linux-x86-64.so.2"), ls.interpreter());
    assertTrue(ls.needed().contains("libc.so.6"), ls.needed().toString());
    assertFalse(ls.isStatic());
    List<String> deps = Sysroot.host().runtimeDependencies("/bin/ls");
    assertTrue(deps.contains("/lib64/ld-linux-x86-64.so.2"), deps.toString());
    assertTrue(deps.stream().anyMatch(d -> d.endsWith("/libc.so.6")), deps.toString());
    assertFalse(deps.contains("/bin/ls"));
  }

  @Test
  void notElfIsRefused() throws Exception {
    Path text = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho not elf, long enough to have a header of sixty-four bytes\n");
    assertThrows(IOException.class, () -> ElfFile.read(text));
  }

  @Test
  void absoluteSymlinksResolveInsideTheSysroot() throws Exception {
    Files.createDirectories(dir.resolve("lib/x86_64-linux-gnu"));
    Files.createDirectories(dir.resolve("lib64"));
    Files.writeString(dir.resolve("lib/x86_64-linux-gnu/ld.so"), "loader");
    Files.createSymbolicLink(dir.resolve("lib64/ld.so"), Path.of("/lib/x86_64-linux-gnu/ld.so"));
    Files.createSymbolicLink(dir.resolve("escape"), Path.of("../../../../etc"));
    Sysroot root = new Sysroot(dir);
    assertEquals(Optional.of(dir.resolve("lib/x86_64-linux-gnu/ld.so")), root.resolve("/lib64/ld.so"));
    assertEquals(Optional.empty(), root.resolve("/escape/passwd"), "'..' stops at the sysroot's top");

    List<LayerEntry> entries = new LayerBuilder().copyFromSysroot(root, "/lib64/ld.so").entries();
    assertEquals(List.of("lib", "lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu/ld.so", "lib64", "lib64/ld.so"),
        entries.stream().map(LayerEntry::name).toList());
    assertEquals(LayerEntry.Type.SYMLINK, entries.get(4).type());
    assertEquals("/lib/x86_64-linux-gnu/ld.so", entries.get(4).linkTarget());
  }

  @Test
  void requirementsAreCheckableAndAnEmptyListPasses() {
    for (HostRequirements.Requirement r : HostRequirements.Requirement.values()) {
      r.isMet(); // never throws
      assertFalse(r.fix().isBlank(), r.name());
    }
    HostRequirements.require(List.of());
    assertTrue(HostRequirements.missing(List.of(HostRequirements.Requirement.values())).size()
        <= HostRequirements.Requirement.values().length);
    assertTrue(HostRequirements.Requirement.DPKG_DEB.isMet() == HostRequirements.onPath("dpkg-deb"));
  }
}

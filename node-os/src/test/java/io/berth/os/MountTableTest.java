package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {
  @TempDir Path dir;

  @Test
  void parsesEntriesWithEscapedPathsAndPropagationTags() throws Exception {
    Path info = dir.resolve("mountinfo");
    Files.writeString(info, String.join("\n",
        "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:5 - proc proc rw",
        "40 22 0:4 net:[4026532301] /run/berth/pins/a\\040b/net rw - nsfs nsfs rw",
        "41 22 0:50 / /run/berth/pins rw,relatime - tmpfs tmpfs rw",
        "") );
    MountTable table = new MountTable(info);
    List<MountTable.Entry> entries = table.entries();
    assertEquals(3, entries.size());
    assertEquals(Path.of("/run/berth/pins/a b/net"), entries.get(1).mountPoint());
    assertEquals("nsfs", entries.get(1).fsType());
    assertTrue(entries.get(0).isShared());
    assertFalse(entries.get(2).isShared());
    assertTrue(table.isMountPoint(Path.of("/run/berth/pins")));
    assertFalse(table.isMountPoint(Path.of("/run/berth")));
    assertEquals(2, table.mountPointsUnder(Path.of("/run/berth/pins")).size());
  }

  @Test
  void readsOwnMountTable() throws Exception {
    assertTrue(new MountTable().isMountPoint(Path.of("/proc")), "/proc must be a mount point");
  }
}

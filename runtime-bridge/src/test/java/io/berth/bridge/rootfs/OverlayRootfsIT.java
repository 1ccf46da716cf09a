package io.berth.bridge.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.bridge.testing.HostRequirements;
import io.berth.os.Linux;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real overlay mounts (needs root). */
class OverlayRootfsIT {
  private static Linux linux;
  private final List<Path> containerDirs = new ArrayList<>();
  private OverlayRootfs overlay;

  @BeforeAll
  static void requireRoot() {
    HostRequirements.requireRoot();
    linux = Linux.load();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Path dir : containerDirs) {
      overlay.remove(dir);
    }
  }

  private Path containerDir(Path tmp) {
    Path dir = tmp.resolve("container");
    containerDirs.add(dir);
    return dir;
  }

  @Test
  void layersMergeTopFirstAndChangesGoToTheUpperDir(@TempDir Path tmp) throws Exception {
    overlay = new OverlayRootfs(linux);
    Path base = Files.createDirectories(tmp.resolve("base"));
    Path top = Files.createDirectories(tmp.resolve("top"));
    Files.writeString(base.resolve("file"), "base");
    Files.writeString(base.resolve("only-base"), "b");
    Files.writeString(top.resolve("file"), "top");
    Path dir = containerDir(tmp);

    RootfsLayout layout = overlay.mount(dir, List.of(top, base));
    assertTrue(OverlayRootfs.isMounted(layout.rootfs()));
    assertEquals("top", Files.readString(layout.rootfs().resolve("file")));
    assertEquals("b", Files.readString(layout.rootfs().resolve("only-base")));

    Files.writeString(layout.rootfs().resolve("new"), "n");
    Files.delete(layout.rootfs().resolve("only-base"));
    assertEquals("n", Files.readString(layout.upper().resolve("new")));
    assertTrue(Files.exists(layout.upper().resolve("only-base"), LinkOption.NOFOLLOW_LINKS), "a whiteout in upper");
    assertTrue(Files.exists(base.resolve("only-base")), "lower dirs are never changed");

    assertEquals(layout, overlay.mount(dir, List.of(top, base)), "mounting again after a restart is a no-op");

    overlay.remove(dir);
    assertFalse(OverlayRootfs.isMounted(layout.rootfs()));
    assertFalse(Files.exists(layout.upper()));
    assertFalse(Files.exists(layout.rootfs()));
  }

  @Test
  void manyLayersWithLongPathsStillMount(@TempDir Path tmp) throws Exception {
    overlay = new OverlayRootfs(linux);
    List<Path> lowers = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Path layer = Files.createDirectories(tmp.resolve("snapshots/" + "x".repeat(60) + "/layer-" + i));
      Files.writeString(layer.resolve("layer-" + i), Integer.toString(i));
      lowers.add(0, layer);
    }
    RootfsLayout layout = overlay.mount(containerDir(tmp), lowers);
    assertEquals("0", Files.readString(layout.rootfs().resolve("layer-0")));
    assertEquals("59", Files.readString(layout.rootfs().resolve("layer-59")));
  }

  @Test
  void anImageWithoutLayersGetsAnEmptyRoot(@TempDir Path tmp) throws Exception {
    overlay = new OverlayRootfs(linux);
    RootfsLayout layout = overlay.mount(containerDir(tmp), List.of());
    try (var s = Files.list(layout.rootfs())) {
      assertEquals(0, s.count());
    }
  }
}

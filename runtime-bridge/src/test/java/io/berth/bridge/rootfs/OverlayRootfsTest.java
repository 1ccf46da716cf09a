package io.berth.bridge.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverlayRootfsTest {
  @Test
  void optionsListLowerDirsTopFirstThenUpperAndWork() throws IOException {
    RootfsLayout layout = RootfsLayout.under(Path.of("/c/1"));
    assertEquals("lowerdir=/s/top:/s/base,upperdir=/c/1/upper,workdir=/c/1/work",
        OverlayRootfs.options(List.of(Path.of("/s/top"), Path.of("/s/base")), layout));
  }

  @Test
  void pathsOverlayCannotExpressAreRefused() {
    RootfsLayout layout = RootfsLayout.under(Path.of("/c/1"));
    assertThrows(IOException.class, () -> OverlayRootfs.options(List.of(Path.of("/s/a:b")), layout));
    assertThrows(IOException.class, () -> OverlayRootfs.options(List.of(Path.of("/s/a,b")), layout));
  }
}

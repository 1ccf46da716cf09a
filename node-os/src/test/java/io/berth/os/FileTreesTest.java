package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path dir;

  @Test
  void deletesTheTreeButNeverFollowsSymlinksOutOfIt() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "host file");
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f"), "x");
    Files.createSymbolicLink(dir.resolve("tree/a/escape"), outside);
    Files.createSymbolicLink(dir.resolve("tree/a/file-escape"), outside.resolve("keep"));

    FileTrees.delete(dir.resolve("tree"));

    assertFalse(Files.exists(dir.resolve("tree")));
    assertTrue(Files.exists(outside.resolve("keep")), "the link's target survives");
    FileTrees.delete(dir.resolve("tree"));
    FileTrees.deleteQuietly(dir.resolve("never-was"));
  }
}

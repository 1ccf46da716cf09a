package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixFilesTest {
  private final PosixFiles files = PosixFiles.load();

  @Test
  void chmodSetsSpecialBits(@TempDir Path dir) throws IOException {
    Path f = Files.createFile(dir.resolve("f"));
    files.chmod(f, 07755);
    assertEquals(07755, (int) Files.getAttribute(f, "unix:mode") & 07777);
  }

  @Test
  void timesOfASymlinkLeaveItsTargetAlone(@TempDir Path dir) throws IOException {
    Path target = Files.createFile(dir.resolve("target"));
    FileTime before = Files.getLastModifiedTime(target);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    FileTime then = FileTime.from(Instant.parse("2001-02-03T04:05:06.789Z"));
    files.setTimesNoFollow(link, then, then);
    assertEquals(then, Files.getLastModifiedTime(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals(before, Files.getLastModifiedTime(target));
  }

  @Test
  void syncFileSystemWorksOnADirectoryAndNamesAMissingOne(@TempDir Path dir) throws IOException {
    files.syncFileSystem(dir);
    IOException e = assertThrows(IOException.class, () -> files.syncFileSystem(dir.resolve("missing")));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }
}

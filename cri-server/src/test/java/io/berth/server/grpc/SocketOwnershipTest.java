package io.berth.server.grpc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SocketOwnershipTest {
  @TempDir Path dir;

  @Test
  void staleSocketFileIsReplaced() throws Exception {
    Path sock = dir.resolve("run/berth.sock");
    Files.createDirectories(sock.getParent());
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(sock));
    }
    // the channel is closed but the socket file stays: exactly what a SIGKILLed daemon leaves
    assertTrue(Files.exists(sock));
    try (SocketOwnership o = SocketOwnership.claim(sock)) {
      assertFalse(Files.exists(sock), "stale socket removed");
    }
  }

  @Test
  void liveSocketOfAnotherProgramIsNeverRemoved() throws Exception {
    Path sock = dir.resolve("berth.sock");
    try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.bind(UnixDomainSocketAddress.of(sock));
      IOException e = assertThrows(IOException.class, () -> SocketOwnership.claim(sock));
      assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
      assertTrue(Files.exists(sock));
    }
  }

  @Test
  void closeRemovesTheSocket() throws Exception {
    Path sock = dir.resolve("berth.sock");
    SocketOwnership o = SocketOwnership.claim(sock);
    Files.createFile(sock);
    o.close();
    assertFalse(Files.exists(sock));
    SocketOwnership.claim(sock).close();
  }
}

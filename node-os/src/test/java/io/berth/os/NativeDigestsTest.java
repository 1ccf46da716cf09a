package io.berth.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeDigestsTest {
  private static final Optional<NativeDigests> PROVIDER = NativeDigests.load();

  @Test
  void libcryptoIsAvailableOnDebian() {
    assertTrue(PROVIDER.isPresent(), "libcrypto.so.3 not found: apt-get install -y libssl3");
  }

  @Test
  void sameDigestsAsTheJdkForAnyChunking() throws Exception {
    Random r = new Random(1);
    for (String alg : new String[] {"SHA-256", "SHA-512"}) {
      for (int size : new int[] {0, 1, 55, 64, 1000, 65536, 65537, 300_000}) {
        byte[] data = new byte[size];
        r.nextBytes(data);
        MessageDigest ours = NativeDigests.messageDigest(PROVIDER, alg);
        assertEquals("BerthLibcrypto", ours.getProvider().getName());
        int pos = 0;
        while (pos < size) {
          int n = Math.min(size - pos, 1 + r.nextInt(100_000));
          if (n % 3 == 0) {
            ours.update(ByteBuffer.wrap(data, pos, n));
          } else if (n == 1) {
            ours.update(data[pos]);
          } else {
            ours.update(data, pos, n);
          }
          pos += n;
        }
        byte[] expected = MessageDigest.getInstance(alg).digest(data);
        assertArrayEquals(expected, ours.digest(), alg + " of " + size + " bytes");
        assertArrayEquals(MessageDigest.getInstance(alg).digest(new byte[0]), ours.digest(), "digest() resets");
      }
    }
  }

  @Test
  void cloneContinuesIndependently() throws Exception {
    MessageDigest a = NativeDigests.messageDigest(PROVIDER, "SHA-256");
    a.update("hello ".getBytes());
    MessageDigest b = (MessageDigest) a.clone();
    a.update("world".getBytes());
    b.update("there".getBytes());
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest("hello world".getBytes()), a.digest());
    assertArrayEquals(MessageDigest.getInstance("SHA-256").digest("hello there".getBytes()), b.digest());
  }
}

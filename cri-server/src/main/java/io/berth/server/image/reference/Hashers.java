package io.berth.server.image.reference;

import io.berth.os.NativeDigests;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Where berth's SHA-2 hashers come from: the host's libcrypto (about 4x the JDK's speed under
 * berthd's C1-only JIT, and every pulled byte is hashed twice), else the JDK.
 */
final class Hashers {
  private static final Optional<NativeDigests> NATIVE = NativeDigests.load();

  private Hashers() {}

  static MessageDigest get(String algorithm) {
    return NativeDigests.messageDigest(NATIVE, algorithm);
  }
}

package io.berth.os;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.MessageDigestSpi;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Optional;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * SHA-256 and SHA-512 from the host's libcrypto, as a JCA provider. berthd runs with C1 only
 * (-XX:TieredStopAtLevel=1), where the JDK's SHA-2 intrinsics do not exist and hashing runs at
 * about 85 MB/s; libcrypto does 400 MB/s and more on the same CPU, whatever the JIT. Every byte of
 * an image is hashed twice (blob digest and diff id), so this sets the pull speed.
 *
 * <p>{@link #messageDigest(String)} falls back to the JDK when libcrypto cannot be loaded.
 * Instances are not thread safe (like every MessageDigest); contexts are freed by a cleaner.
 */
public final class NativeDigests extends Provider {
  private static final long serialVersionUID = 1L;
  private static final int CHUNK = 64 << 10;
  private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

  private final transient LibCrypto crypto;
  private final transient Runtime runtime;

  private NativeDigests(LibCrypto crypto) {
    super("BerthLibcrypto", "1.0", "SHA-2 message digests from OpenSSL libcrypto");
    this.crypto = crypto;
    this.runtime = Runtime.getRuntime(crypto);
    putService(new DigestService(this, "SHA-256", 32));
    putService(new DigestService(this, "SHA-512", 64));
  }

  /** The provider, or empty when libcrypto is not on this host. */
  public static Optional<NativeDigests> load() {
    try {
      LibCrypto c = LibCrypto.load();
      NativeDigests p = new NativeDigests(c);
      p.newDigest("SHA-256").digest(); // proves the symbols resolve
      return Optional.of(p);
    } catch (LinkageError | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** A MessageDigest from {@code provider} when present, else the JDK's. */
  public static MessageDigest messageDigest(Optional<NativeDigests> provider, String algorithm) {
    try {
      return provider.isPresent() ? MessageDigest.getInstance(algorithm, provider.get())
          : MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("no " + algorithm, e);
    }
  }

  private MessageDigest newDigest(String algorithm) {
    return messageDigest(Optional.of(this), algorithm);
  }

  private static final class DigestService extends Provider.Service {
    private final NativeDigests owner;
    private final int length;

    DigestService(NativeDigests owner, String algorithm, int length) {
      super(owner, "MessageDigest", algorithm, Spi.class.getName(), null, null);
      this.owner = owner;
      this.length = length;
    }

    @Override
    public Object newInstance(Object ignored) {
      return new Spi(owner, getAlgorithm(), length);
    }
  }

  /** The EVP context and a native staging buffer; freed when the digest becomes unreachable. */
  private record Native(LibCrypto crypto, Pointer ctx) implements Runnable {
    @Override
    public void run() {
      crypto.EVP_MD_CTX_free(ctx);
    }
  }

  private static final class Spi extends MessageDigestSpi implements Cloneable {
    private final NativeDigests owner;
    private final String algorithm;
    private final int length;
    private final Pointer ctx;
    private final Pointer staging;
    private final byte[] one = new byte[1];

    Spi(NativeDigests owner, String algorithm, int length) {
      this.owner = owner;
      this.algorithm = algorithm;
      this.length = length;
      this.ctx = owner.crypto.EVP_MD_CTX_new();
      if (ctx == null) {
        throw new IllegalStateException("EVP_MD_CTX_new failed");
      }
      CLEANER.register(this, new Native(owner.crypto, ctx));
      this.staging = Memory.allocateDirect(owner.runtime, CHUNK);
      init();
    }

    private void init() {
      Pointer md = length == 32 ? owner.crypto.EVP_sha256() : owner.crypto.EVP_sha512();
      if (owner.crypto.EVP_DigestInit_ex(ctx, md, null) != 1) {
        throw new IllegalStateException("EVP_DigestInit_ex(" + algorithm + ") failed");
      }
    }

    @Override
    protected int engineGetDigestLength() {
      return length;
    }

    @Override
    protected void engineUpdate(byte input) {
      one[0] = input;
      engineUpdate(one, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
      while (len > 0) {
        int n = Math.min(len, CHUNK);
        staging.put(0, input, offset, n);
        if (owner.crypto.EVP_DigestUpdate(ctx, staging, n) != 1) {
          throw new IllegalStateException("EVP_DigestUpdate failed");
        }
        offset += n;
        len -= n;
      }
    }

    @Override
    protected void engineUpdate(ByteBuffer input) {
      if (input.hasArray()) {
        engineUpdate(input.array(), input.arrayOffset() + input.position(), input.remaining());
        input.position(input.limit());
      } else {
        super.engineUpdate(input);
      }
    }

    @Override
    protected byte[] engineDigest() {
      byte[] out = new byte[length];
      if (owner.crypto.EVP_DigestFinal_ex(ctx, out, null) != 1) {
        throw new IllegalStateException("EVP_DigestFinal_ex failed");
      }
      init();
      return out;
    }

    @Override
    protected int engineDigest(byte[] buf, int offset, int len) throws DigestException {
      if (len < length) {
        throw new DigestException("buffer too short for " + algorithm);
      }
      byte[] d = engineDigest();
      System.arraycopy(d, 0, buf, offset, length);
      return length;
    }

    @Override
    protected void engineReset() {
      init();
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
      Spi copy = new Spi(owner, algorithm, length);
      if (owner.crypto.EVP_MD_CTX_copy_ex(copy.ctx, ctx) != 1) {
        throw new CloneNotSupportedException("EVP_MD_CTX_copy_ex failed");
      }
      return copy;
    }
  }
}

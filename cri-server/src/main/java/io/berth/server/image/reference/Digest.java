package io.berth.server.image.reference;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest as the OCI image spec writes it, {@code algorithm:encoded}. Only the algorithms
 * the spec registers are accepted (sha256, sha512), so every digest berth stores can be verified.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static final Pattern SHA256 = Pattern.compile("[a-f0-9]{64}");
  private static final Pattern SHA512 = Pattern.compile("[a-f0-9]{128}");

  public Digest {
    Pattern p = switch (algorithm) {
      case "sha256" -> SHA256;
      case "sha512" -> SHA512;
      default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'");
    };
    if (!p.matcher(hex).matches()) {
      throw new IllegalArgumentException("digest " + algorithm + ":" + hex + " is not " + algorithm
          + " followed by " + (p == SHA256 ? 64 : 128) + " lower-case hex digits");
    }
  }

  /** Parses {@code sha256:<64 hex>}; throws IllegalArgumentException with the reason. */
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("digest '" + text + "' has no algorithm (expected sha256:<hex>)");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  public static boolean isDigest(String text) {
    try {
      parse(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public static Digest sha256(byte[] content) {
    return of(newSha256().digest(content));
  }

  /** Wraps a finished SHA-256 (as used for layer diff ids and chain ids). */
  public static Digest of(byte[] sha256) {
    return new Digest("sha256", HexFormat.of().formatHex(sha256));
  }

  /** A fresh hasher for this digest's algorithm (libcrypto's when available, see {@link Hashers}). */
  public MessageDigest newMessageDigest() {
    return Hashers.get(algorithm.equals("sha512") ? "SHA-512" : "SHA-256");
  }

  public boolean matches(MessageDigest finished) {
    return MessageDigest.isEqual(HexFormat.of().parseHex(hex), finished.digest());
  }

  public static MessageDigest newSha256() {
    return Hashers.get("SHA-256");
  }

  /** The first 12 hex digits, for logs. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}

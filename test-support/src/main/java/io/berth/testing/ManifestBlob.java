package io.berth.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A manifest or index exactly as pushed: its media type, bytes and their digest. */
public record ManifestBlob(String mediaType, byte[] bytes, Digest digest) {
  public ManifestBlob {
    bytes = bytes.clone();
    if (!Digest.of(bytes).equals(digest)) {
      throw new IllegalArgumentException("digest does not match the manifest bytes");
    }
  }

  public static ManifestBlob of(String mediaType, byte[] bytes) {
    return new ManifestBlob(mediaType, bytes, Digest.of(bytes));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, bytes.length);
  }

  public JsonNode json() {
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

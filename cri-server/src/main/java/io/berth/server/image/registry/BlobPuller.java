package io.berth.server.image.registry;

import io.berth.server.image.manifest.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.OptionalLong;

/**
 * GET /v2/NAME/blobs/DIGEST as a stream. A Content-Length that disagrees with the descriptor fails
 * before any byte is read; the digest itself is verified by whoever consumes the stream (the
 * content ingest), while the bytes flow.
 */
final class BlobPuller {
  private final RegistryTransport transport;

  BlobPuller(RegistryTransport transport) {
    this.transport = transport;
  }

  InputStream open(RegistryEndpoint ep, String repository, Descriptor blob, String scope, Credentials credentials)
      throws IOException {
    HttpResponse<InputStream> r = transport.get(ep, repository + "/blobs/" + blob.digest(), Map.of(), scope,
        credentials);
    OptionalLong length = r.headers().firstValueAsLong("Content-Length");
    if (length.isPresent() && length.getAsLong() != blob.size()) {
      RegistryTransport.closeQuietly(r);
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "blob " + blob.digest() + " from " + ep.host()
          + " is " + length.getAsLong() + " bytes, its descriptor says " + blob.size());
    }
    return r.body();
  }
}

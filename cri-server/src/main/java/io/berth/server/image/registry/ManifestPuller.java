package io.berth.server.image.registry;

import io.berth.server.image.manifest.MediaTypes;
import io.berth.server.image.reference.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Map;

/**
 * GET /v2/NAME/manifests/REFERENCE with the Accept list of every manifest type berth reads. The
 * body is capped (4 MiB, as containerd) and, when the reference is a digest, verified against it.
 */
final class ManifestPuller {
  static final int MAX_MANIFEST = 4 << 20;

  private final RegistryTransport transport;

  ManifestPuller(RegistryTransport transport) {
    this.transport = transport;
  }

  FetchedManifest pull(RegistryEndpoint ep, String repository, String reference, String scope,
      Credentials credentials) throws IOException {
    HttpResponse<InputStream> r = transport.get(ep, repository + "/manifests/" + reference,
        Map.of("Accept", MediaTypes.acceptHeader()), scope, credentials);
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readNBytes(MAX_MANIFEST + 1);
    }
    if (body.length > MAX_MANIFEST) {
      throw new RegistryException(RegistryException.Kind.PROTOCOL, "manifest " + repository + ":" + reference
          + " from " + ep.host() + " is larger than " + MAX_MANIFEST + " bytes");
    }
    Digest digest;
    if (Digest.isDigest(reference)) {
      Digest wanted = Digest.parse(reference);
      MessageDigest md = wanted.newMessageDigest();
      md.update(body);
      if (!wanted.matches(md)) {
        throw new RegistryException(RegistryException.Kind.PROTOCOL, "manifest " + reference + " from "
            + ep.host() + " does not match its digest");
      }
      digest = wanted;
    } else {
      digest = Digest.sha256(body);
      String claimed = r.headers().firstValue("Docker-Content-Digest").orElse("");
      if (claimed.startsWith("sha256:") && !claimed.equals(digest.toString())) {
        throw new RegistryException(RegistryException.Kind.PROTOCOL, "manifest " + repository + ":" + reference
            + " from " + ep.host() + " has digest " + digest + " but the registry says " + claimed);
      }
    }
    return new FetchedManifest(body, r.headers().firstValue("Content-Type").orElse(""), digest, ep);
  }
}

package io.berth.server.image.registry;

import io.berth.server.image.manifest.Descriptor;
import io.berth.server.image.reference.Digest;
import io.berth.server.image.reference.ImageReference;
import io.berth.server.log.StructuredLogger;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry side of one pull: one repository, its endpoints (mirrors, then the registry) and
 * the credentials for each. {@link #resolve} tries the endpoints in order and remembers the one
 * that answered; manifests and blobs then come from it first, the others as fallbacks.
 */
public final class RegistryClient {
  private static final StructuredLogger LOG = StructuredLogger.get(RegistryClient.class);

  private final ImageReference reference;
  private final List<RegistryEndpoint> endpoints;
  private final RequestCredentials requestCredentials;
  private final ManifestPuller manifests;
  private final BlobPuller blobs;
  private final String scope;
  private volatile RegistryEndpoint preferred;

  /** Credentials that came with the CRI request, and which endpoint host they are for. */
  public record RequestCredentials(Credentials credentials, String serverAddress) {
    public static final RequestCredentials NONE = new RequestCredentials(Credentials.ANONYMOUS, "");

    /** Whether these apply to an endpoint: always when no server address was given, else by host. */
    boolean appliesTo(RegistryEndpoint ep, String registry) {
      if (credentials instanceof Credentials.Anonymous) {
        return false;
      }
      if (serverAddress == null || serverAddress.isEmpty()) {
        return true;
      }
      String host = hostOf(serverAddress);
      if (host.equals(ep.host()) || host.equals(ep.base().getRawAuthority())) {
        return true;
      }
      return !ep.mirror() && isDockerHub(host) && isDockerHub(registry);
    }

    private static boolean isDockerHub(String h) {
      return h.equals("docker.io") || h.equals("index.docker.io") || h.equals("registry-1.docker.io");
    }

    private static String hostOf(String address) {
      String a = address.replaceFirst("^[a-zA-Z]+://", "");
      int slash = a.indexOf('/');
      return slash < 0 ? a : a.substring(0, slash);
    }
  }

  public RegistryClient(RegistryTransport transport, ImageReference reference, List<RegistryEndpoint> endpoints,
      RequestCredentials requestCredentials) {
    this.reference = reference;
    this.endpoints = List.copyOf(endpoints);
    this.requestCredentials = requestCredentials;
    this.manifests = new ManifestPuller(transport);
    this.blobs = new BlobPuller(transport);
    this.scope = "repository:" + reference.repository() + ":pull";
  }

  private Credentials credentialsFor(RegistryEndpoint ep) {
    return requestCredentials.appliesTo(ep, reference.registry()) ? requestCredentials.credentials()
        : ep.configCredentials();
  }

  /** Fetches the manifest the reference names (tag or digest), trying each endpoint in order. */
  public FetchedManifest resolve() throws IOException {
    return fetchManifest(reference.manifestReference(), endpoints);
  }

  /** Fetches a manifest by digest (a platform manifest of an index). */
  public FetchedManifest manifest(Digest digest) throws IOException {
    return fetchManifest(digest.toString(), ordered());
  }

  private FetchedManifest fetchManifest(String ref, List<RegistryEndpoint> order) throws IOException {
    List<RegistryException> failures = new ArrayList<>();
    for (RegistryEndpoint ep : order) {
      try {
        FetchedManifest m = manifests.pull(ep, reference.repository(), ref, scope, credentialsFor(ep));
        preferred = ep;
        return m;
      } catch (RegistryException e) {
        LOG.debug("endpoint failed", "endpoint", ep, "image", reference, "error", e.getMessage());
        failures.add(e);
      }
    }
    throw combined("manifest " + reference.name() + (ref.startsWith("sha") ? "@" : ":") + ref, failures);
  }

  /** Opens a blob as a stream from the endpoint that served the manifest, else the others. */
  public InputStream blob(Descriptor blob) throws IOException {
    List<RegistryException> failures = new ArrayList<>();
    for (RegistryEndpoint ep : ordered()) {
      try {
        return blobs.open(ep, reference.repository(), blob, scope, credentialsFor(ep));
      } catch (RegistryException e) {
        LOG.debug("endpoint failed", "endpoint", ep, "blob", blob.digest(), "error", e.getMessage());
        failures.add(e);
      }
    }
    throw combined("blob " + blob.digest(), failures);
  }

  private List<RegistryEndpoint> ordered() {
    RegistryEndpoint p = preferred;
    if (p == null) {
      return endpoints;
    }
    List<RegistryEndpoint> out = new ArrayList<>(endpoints.size());
    out.add(p);
    for (RegistryEndpoint e : endpoints) {
      if (!e.equals(p)) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * One error for all endpoints: NOT_FOUND if any endpoint said so and none failed otherwise than
   * being unreachable (a mirror without the image, then no internet, is still "not found");
   * UNAUTHORIZED likewise; else the last failure's kind. The message lists every endpoint.
   */
  static RegistryException combined(String what, List<RegistryException> failures) {
    if (failures.size() == 1) {
      RegistryException only = failures.get(0);
      return new RegistryException(only.kind(), what + ": " + only.getMessage(), only);
    }
    RegistryException.Kind kind = failures.get(failures.size() - 1).kind();
    boolean anyNotFound = false;
    boolean anyUnauthorized = false;
    boolean othersUnreachable = true;
    for (RegistryException f : failures) {
      switch (f.kind()) {
        case NOT_FOUND -> anyNotFound = true;
        case UNAUTHORIZED -> anyUnauthorized = true;
        case UNAVAILABLE -> { }
        default -> othersUnreachable = false;
      }
    }
    if (othersUnreachable && anyUnauthorized) {
      kind = RegistryException.Kind.UNAUTHORIZED;
    }
    if (othersUnreachable && anyNotFound) {
      kind = RegistryException.Kind.NOT_FOUND;
    }
    StringBuilder sb = new StringBuilder(what).append(": every endpoint failed");
    for (RegistryException f : failures) {
      sb.append("; ").append(f.getMessage());
    }
    RegistryException e = new RegistryException(kind, sb.toString(), failures.get(failures.size() - 1));
    return e;
  }
}

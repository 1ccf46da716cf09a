package io.berth.server.image.reference;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalised image reference: {@code registry/repository[:tag][@digest]}, parsed exactly as
 * kubelet, Docker and containerd read one (distribution's reference grammar).
 *
 * <p>Docker Hub normalisation: a first path component that has no '.' or ':' and is not
 * {@code localhost} is not a registry, so {@code busybox} is {@code docker.io/library/busybox}
 * and {@code user/app} is {@code docker.io/user/app}; {@code index.docker.io} is an alias of
 * {@code docker.io}. A reference with neither tag nor digest gets the tag {@code latest}. A
 * reference with both a tag and a digest is pulled by digest; the tag is dropped (as CRI-O and
 * podman do), because the registry's tag may meanwhile point to another image.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
  public static final String DOCKER_HUB = "docker.io";
  public static final String DEFAULT_TAG = "latest";

  private static final int MAX_NAME_LENGTH = 255;
  private static final Pattern DOMAIN_COMPONENT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?");
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:.%]+]");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile(
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");

  /** The single entry point: parses and normalises; throws {@link InvalidReferenceException}. */
  public static ImageReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidReferenceException(text == null ? "" : text, "empty");
    }
    if (!text.equals(text.strip())) {
      throw new InvalidReferenceException(text, "leading or trailing white space");
    }
    String rest = text;
    Digest digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      String d = rest.substring(at + 1);
      if (!DIGEST.matcher(d).matches()) {
        throw new InvalidReferenceException(text, "'" + d + "' is not a digest (expected sha256:<64 hex>)");
      }
      try {
        digest = Digest.parse(d);
      } catch (IllegalArgumentException e) {
        throw new InvalidReferenceException(text, e.getMessage());
      }
      rest = rest.substring(0, at);
    }
    String tag = null;
    int slash = rest.lastIndexOf('/');
    int colon = rest.lastIndexOf(':');
    if (colon > slash) {
      tag = rest.substring(colon + 1);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidReferenceException(text, "tag '" + tag + "' must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
      }
      rest = rest.substring(0, colon);
    }
    if (rest.isEmpty()) {
      throw new InvalidReferenceException(text, "no repository name");
    }
    if (rest.length() > MAX_NAME_LENGTH) {
      throw new InvalidReferenceException(text, "repository name longer than " + MAX_NAME_LENGTH + " characters");
    }

    String registry;
    String repository;
    int firstSlash = rest.indexOf('/');
    String first = firstSlash < 0 ? rest : rest.substring(0, firstSlash);
    if (firstSlash < 0 || !looksLikeRegistry(first)) {
      registry = DOCKER_HUB;
      repository = rest;
    } else {
      registry = first;
      repository = rest.substring(firstSlash + 1);
      checkRegistry(text, registry);
    }
    if (registry.equals("index.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) {
      repository = "library/" + repository;
    }
    for (String component : repository.split("/", -1)) {
      if (!PATH_COMPONENT.matcher(component).matches()) {
        String why = component.isEmpty() ? "an empty path component"
            : !component.equals(component.toLowerCase(java.util.Locale.ROOT))
                ? "repository name must be lower case ('" + component + "')"
                : "path component '" + component + "' must be lower-case letters and digits separated by '.', '_', '__' or '-'";
        throw new InvalidReferenceException(text, why);
      }
    }
    if (digest != null) {
      tag = null;
    } else if (tag == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageReference(registry, repository, tag, digest);
  }

  /** Docker's rule for "is the first component a registry host". */
  private static boolean looksLikeRegistry(String first) {
    return first.contains(".") || first.contains(":") || first.equals("localhost")
        || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
  }

  private static void checkRegistry(String text, String registry) {
    String host = registry;
    String port = null;
    if (registry.startsWith("[")) {
      int close = registry.indexOf(']');
      host = close < 0 ? registry : registry.substring(0, close + 1);
      String after = close < 0 ? "" : registry.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new InvalidReferenceException(text, "registry '" + registry + "' is not host[:port]");
        }
        port = after.substring(1);
      }
      if (!IPV6.matcher(host).matches()) {
        throw new InvalidReferenceException(text, "registry '" + registry + "' is not a valid IPv6 address");
      }
    } else {
      int c = registry.indexOf(':');
      if (c >= 0) {
        host = registry.substring(0, c);
        port = registry.substring(c + 1);
      }
      for (String part : host.split("\\.", -1)) {
        if (!DOMAIN_COMPONENT.matcher(part).matches()) {
          throw new InvalidReferenceException(text, "registry '" + registry + "' is not a valid host name");
        }
      }
    }
    if (port != null && (!PORT.matcher(port).matches() || port.length() > 5 || Integer.parseInt(port) > 65535)) {
      throw new InvalidReferenceException(text, "registry port '" + port + "' is not a number up to 65535");
    }
  }

  /** {@code registry/repository}, the name tags and digests are relative to. */
  public String name() {
    return registry + "/" + repository;
  }

  /** What to ask the registry's manifest endpoint for: the digest if any, else the tag. */
  public String manifestReference() {
    return digest != null ? digest.toString() : tag;
  }

  /** {@code name:tag}, or empty for a digest reference. */
  public Optional<String> repoTag() {
    return tag == null ? Optional.empty() : Optional.of(name() + ":" + tag);
  }

  /** {@code name@digest} for a given manifest digest, as CRI's repo_digests lists them. */
  public String repoDigest(Digest manifestDigest) {
    return name() + "@" + manifestDigest;
  }

  @Override
  public String toString() {
    return digest != null ? name() + "@" + digest : name() + ":" + tag;
  }
}

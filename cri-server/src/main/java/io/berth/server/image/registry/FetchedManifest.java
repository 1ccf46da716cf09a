package io.berth.server.image.registry;

import io.berth.server.image.reference.Digest;

/** A manifest's exact bytes as served, their digest, the Content-Type, and which endpoint served it. */
public record FetchedManifest(byte[] body, String contentType, Digest digest, RegistryEndpoint endpoint) {}

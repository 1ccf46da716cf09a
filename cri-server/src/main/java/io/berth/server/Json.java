package io.berth.server;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The plain ObjectMapper (no modules, Jackson's defaults) that cri-server's components share for
 * trees, manifests, registry replies and verbose info. Created on first use: building a mapper
 * loads databind's type and serializer machinery (some 300 classes, and StdDateFormat's ~1000
 * CLDR locales), which an idle daemon on an empty node never needs. Never configured after it is
 * built, so sharing it is thread safe.
 */
public final class Json {
  private Json() {}

  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  /** The JVM initialises a holder class on first access, at most once, under its class-init lock. */
  private static final class Holder {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
}

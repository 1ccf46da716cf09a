package io.berth.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One TOML table being bound to a record, strictly: every read names the key, a value of the
 * wrong type is a {@link ConfigException} naming its full path, and {@link #finish()} rejects the
 * keys nobody read (a typo stops start-up). Read straight from Jackson's tree rather than through
 * databind's bean binding, which costs berthd ~0.1 s of class loading and reflection at every start.
 */
final class ConfigTable {
  /** Binds a sub-table; may throw for a bad value inside it. */
  @FunctionalInterface
  interface Binder<T> {
    T bind(ConfigTable table) throws ConfigException;
  }

  private final ObjectNode node;
  private final String path;
  private final String source;
  private final Set<String> read = new HashSet<>();

  ConfigTable(ObjectNode node, String path, String source) {
    this.node = node;
    this.path = path;
    this.source = source;
  }

  /** A string, or null when the key is absent. */
  String string(String key) throws ConfigException {
    JsonNode v = scalar(key, JsonNode::isTextual, "a string");
    return v == null ? null : v.textValue();
  }

  /** An integer; {@code absent} when the key is absent. */
  int integer(String key, int absent) throws ConfigException {
    JsonNode v = scalar(key, n -> n.isIntegralNumber() && n.canConvertToInt(), "an integer");
    return v == null ? absent : v.intValue();
  }

  /** A boolean, or null when the key is absent. */
  Boolean bool(String key) throws ConfigException {
    JsonNode v = scalar(key, JsonNode::isBoolean, "true or false");
    return v == null ? null : v.booleanValue();
  }

  /** The value of {@code key} if it is {@code expected}, null when absent; anything else is an error. */
  private JsonNode scalar(String key, Predicate<JsonNode> ok, String expected) throws ConfigException {
    JsonNode v = take(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!ok.test(v)) {
      throw bad(key, "expected " + expected + ", got " + describe(v));
    }
    return v;
  }

  /** An array of strings, or null when the key is absent. */
  List<String> strings(String key) throws ConfigException {
    JsonNode v = take(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw bad(key, "expected an array of strings, got " + describe(v));
    }
    List<String> out = new ArrayList<>(v.size());
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual()) {
        throw new ConfigException("config: bad value for '" + join(path, key) + "[" + i + "]' in " + source
            + ": expected a string, got " + describe(item));
      }
      out.add(item.textValue());
    }
    return Collections.unmodifiableList(out);
  }

  /** A sub-table bound by {@code binder} (an absent table binds as empty). */
  <T> T table(String key, Binder<T> binder) throws ConfigException {
    ConfigTable sub = sub(key, take(key));
    T value = binder.bind(sub);
    sub.finish();
    return value;
  }

  /** A table of named tables (handlers, hosts): each entry bound by {@code binder}, in file order. */
  <T> Map<String, T> tables(String key, Binder<T> binder) throws ConfigException {
    ConfigTable outer = sub(key, take(key));
    Map<String, T> out = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = outer.node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      outer.read.add(e.getKey());
      JsonNode v = e.getValue();
      if (v.isNull()) {
        out.put(e.getKey(), null);
        continue;
      }
      ConfigTable entry = outer.sub(e.getKey(), v);
      out.put(e.getKey(), binder.bind(entry));
      entry.finish();
    }
    return Collections.unmodifiableMap(out);
  }

  /** Fails on the first key that was never read. */
  void finish() throws ConfigException {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String k = names.next();
      if (!read.contains(k)) {
        throw new ConfigException("config: unknown key '" + join(path, k) + "' in " + source);
      }
    }
  }

  private ConfigTable sub(String key, JsonNode v) throws ConfigException {
    if (v == null || v.isNull()) {
      return new ConfigTable(node.objectNode(), join(path, key), source);
    }
    if (!v.isObject()) {
      throw bad(key, "expected a table, got " + describe(v));
    }
    return new ConfigTable((ObjectNode) v, join(path, key), source);
  }

  private JsonNode take(String key) {
    read.add(key);
    return node.get(key);
  }

  private ConfigException bad(String key, String why) {
    return new ConfigException("config: bad value for '" + join(path, key) + "' in " + source + ": " + why);
  }

  private static String describe(JsonNode v) {
    return v.isTextual() ? "a string" : v.isBoolean() ? "a boolean" : v.isNumber() ? "a number"
        : v.isArray() ? "an array" : v.isObject() ? "a table" : v.getNodeType().toString();
  }

  /** Dotted TOML path; keys that are not bare keys are quoted, as TOML writes them. */
  static String join(String path, String key) {
    String k = key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
    return path.isEmpty() ? k : path + "." + k;
  }
}

package io.berth.server.image.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme ({@code bearer},
 * {@code basic}, lower-cased) and its parameters, e.g. Bearer realm, service and scope.
 */
public record AuthChallenge(String scheme, Map<String, String> params) {
  public AuthChallenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name));
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  /**
   * Parses every challenge in the given header values. Parameters are {@code name=token} or
   * {@code name="quoted, with \"escapes\""}; a scheme is a token that is not followed by '='.
   */
  public static List<AuthChallenge> parse(List<String> headerValues) {
    List<AuthChallenge> out = new ArrayList<>();
    for (String header : headerValues) {
      parseOne(header, out);
    }
    return out;
  }

  /** The challenge berth answers: Bearer if offered, else Basic. */
  public static Optional<AuthChallenge> preferred(List<AuthChallenge> challenges) {
    return challenges.stream().filter(AuthChallenge::isBearer).findFirst()
        .or(() -> challenges.stream().filter(AuthChallenge::isBasic).findFirst());
  }

  private static void parseOne(String s, List<AuthChallenge> out) {
    int i = 0;
    int n = s.length();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (i < n) {
      i = skip(s, i, " \t,");
      if (i >= n) {
        break;
      }
      int start = i;
      while (i < n && isToken(s.charAt(i))) {
        i++;
      }
      if (i == start) {
        i++; // stray character: skip it
        continue;
      }
      String token = s.substring(start, i);
      int j = skip(s, i, " \t");
      if (j < n && s.charAt(j) == '=' && scheme != null) {
        // name=value
        j = skip(s, j + 1, " \t");
        StringBuilder value = new StringBuilder();
        if (j < n && s.charAt(j) == '"') {
          j++;
          while (j < n && s.charAt(j) != '"') {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < n) {
              c = s.charAt(++j);
            }
            value.append(c);
            j++;
          }
          j++; // closing quote
        } else {
          while (j < n && s.charAt(j) != ',' && s.charAt(j) != ' ' && s.charAt(j) != '\t') {
            value.append(s.charAt(j++));
          }
        }
        params.put(token.toLowerCase(Locale.ROOT), value.toString());
        i = j;
      } else {
        // a new scheme
        if (scheme != null) {
          out.add(new AuthChallenge(scheme, params));
          params = new LinkedHashMap<>();
        }
        scheme = token;
        i = j;
      }
    }
    if (scheme != null) {
      out.add(new AuthChallenge(scheme, params));
    }
  }

  private static int skip(String s, int i, String chars) {
    while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  private static boolean isToken(char c) {
    return Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}

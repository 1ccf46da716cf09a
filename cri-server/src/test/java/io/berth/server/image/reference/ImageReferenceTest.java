package io.berth.server.image.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  private static final String D = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "busybox                                  | docker.io/library/busybox:latest",
      "busybox:1.36                             | docker.io/library/busybox:1.36",
      "library/busybox                          | docker.io/library/busybox:latest",
      "docker.io/busybox                        | docker.io/library/busybox:latest",
      "index.docker.io/library/busybox:1        | docker.io/library/busybox:1",
      "user/app:v1.2_rc-3                       | docker.io/user/app:v1.2_rc-3",
      "registry.k8s.io/pause:3.10               | registry.k8s.io/pause:3.10",
      "gcr.io/google-containers/pause:3.10      | gcr.io/google-containers/pause:3.10",
      "localhost/app                            | localhost/app:latest",
      "localhost:5000/a/b/c:tag                 | localhost:5000/a/b/c:tag",
      "127.0.0.1:5000/busybox                   | 127.0.0.1:5000/busybox:latest",
      "[::1]:5000/app:1                         | [::1]:5000/app:1",
      "Registry.Example/app                     | Registry.Example/app:latest",
      "a/b-c__d.e/f                             | docker.io/a/b-c__d.e/f:latest",
      "quay.io/org/app---x_y:TAG                | quay.io/org/app---x_y:TAG",
  })
  void normalises(String in, String out) {
    assertEquals(out, ImageReference.parse(in).toString());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "busybox@" + D + "                        | docker.io/library/busybox@" + D,
      "busybox:1.36@" + D + "                   | docker.io/library/busybox@" + D,
      "127.0.0.1:5000/x/y@" + D + "             | 127.0.0.1:5000/x/y@" + D,
  })
  void digestReferencesPullByDigestAndDropTheTag(String in, String out) {
    ImageReference r = ImageReference.parse(in);
    assertEquals(out, r.toString());
    assertEquals(D, r.manifestReference());
    assertTrue(r.repoTag().isEmpty());
  }

  @ParameterizedTest(name = "[{0}]: {1}")
  @CsvSource(delimiter = '|', value = {
      "''                          | empty",
      "BusyBox                     | lower case",
      "busybox:                    | tag ''",
      ":tag                        | no repository",
      "busybox@sha256:1234         | not a digest",
      "busybox@md5:" + "a" + "     | not a digest",
      "a//b                        | empty path component",
      "-a                          | path component '-a'",
      "busybox:tag:tag             | path component 'busybox:tag'",
      "host:99999/app              | port '99999'",
      "' busybox'                  | white space",
      "a/b/                        | empty path component",
      "a..b                        | path component 'a..b'",
      "busybox:-tag                | tag '-tag'",
      "exa_mple.com/app            | not a valid host name",
  })
  void refusesWithAMessageNamingTheReference(String in, String why) {
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(in));
    assertTrue(e.getMessage().startsWith("invalid image reference \"" + in + "\""), e.getMessage());
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"sha256:" + "0123456789abcdef" + "0123456789abcdef" + "0123456789abcdef" + "0123456789abcdef"})
  void digestsRoundTrip(String text) {
    Digest d = Digest.parse(text);
    assertEquals(text, d.toString());
    assertEquals("0123456789ab", d.shortHex());
  }

  @ParameterizedTest
  @CsvSource({"sha256:ABCDEF", "sha1:" + "a", "nocolon", "sha256:" + "g"})
  void badDigests(String text) {
    assertThrows(IllegalArgumentException.class, () -> Digest.parse(text));
  }
}

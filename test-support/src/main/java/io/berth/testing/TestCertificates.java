package io.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code 127.0.0.1} and
 * {@code localhost}, made with the {@code openssl} CLI (P-256 keys: fast to generate).
 */
public record TestCertificates(Path caCert, Path serverCert, Path serverKey) {

  public static TestCertificates generate(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path caKey = dir.resolve("ca.key");
    Path caCert = dir.resolve("ca.crt");
    Path key = dir.resolve("server.key");
    Path csr = dir.resolve("server.csr");
    Path cert = dir.resolve("server.crt");
    Path ext = dir.resolve("server.ext");
    Commands.check(dir, List.of("openssl", "req", "-x509", "-new", "-nodes",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-keyout", caKey.toString(), "-out", caCert.toString(), "-days", "7",
        "-subj", "/CN=berth test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    Commands.check(dir, List.of("openssl", "req", "-new", "-nodes",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=127.0.0.1"));
    // Go (the registry) and Java both check the subjectAltName, never the CN.
    Files.writeString(ext, """
        basicConstraints=CA:FALSE
        keyUsage=critical,digitalSignature,keyEncipherment
        extendedKeyUsage=serverAuth
        subjectAltName=IP:127.0.0.1,DNS:localhost
        """);
    Commands.check(dir, List.of("openssl", "x509", "-req", "-in", csr.toString(),
        "-CA", caCert.toString(), "-CAkey", caKey.toString(), "-CAcreateserial",
        "-out", cert.toString(), "-days", "7", "-sha256", "-extfile", ext.toString()));
    return new TestCertificates(caCert, cert, key);
  }

  /** A client TLS context that trusts exactly {@code caFile}. */
  public static SSLContext trusting(Path caFile) throws IOException {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot build a trust store from " + caFile, e);
    }
  }
}

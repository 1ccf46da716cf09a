// SHA-256 (and CRC32) throughput of this JVM over 200 MiB, three rounds: shows what -XX:TieredStopAtLevel=1
// costs an image pull, which hashes every blob (compressed digest) and every layer (uncompressed diff id).
//   java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC deploy/bench/Sha256Speed.java   vs   java -XX:+UseSerialGC deploy/bench/Sha256Speed.java
import java.security.MessageDigest;
import java.util.Random;
import java.util.zip.*;
public class Sha256Speed {
  public static void main(String[] a) throws Exception {
    byte[] buf = new byte[1 << 20]; new Random(1).nextBytes(buf);
    for (int round = 0; round < 3; round++) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      long t0 = System.nanoTime();
      for (int i = 0; i < 200; i++) md.update(buf);
      md.digest();
      long t1 = System.nanoTime();
      CRC32 crc = new CRC32();
      for (int i = 0; i < 200; i++) crc.update(buf);
      long t2 = System.nanoTime();
      System.out.printf("round %d: sha256 200 MiB %.0f ms, crc32 %.0f ms%n", round, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }
  }
}

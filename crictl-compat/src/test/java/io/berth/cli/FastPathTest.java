package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cli.app.Session;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The picocli-free path for "berthctl [globals] version" reads the globals exactly as picocli does. */
class FastPathTest {
    private static BerthctlCommand root() {
        return new BerthctlCommand(Map.of(), new PrintWriter(new StringWriter()), ep -> {
            throw new AssertionError("no connection expected");
        }, new Session.Streams(OutputStream.nullOutputStream(), OutputStream.nullOutputStream()));
    }

    @Test
    void readsEveryGlobalOptionForm() {
        BerthctlCommand r = root();
        List<String> rest = FastPath.parseGlobals(new String[] {"-D", "--runtime-endpoint=unix:///a.sock", "-i", "tcp://h:1",
            "--timeout", "5s", "-c", "/x.yaml", "version"}, r);
        assertEquals(List.of("version"), rest);
        assertEquals("unix:///a.sock", r.runtimeEndpoint);
        assertEquals("tcp://h:1", r.imageEndpoint);
        assertEquals("5s", r.timeout);
        assertEquals("/x.yaml", r.config);
        assertEquals(Boolean.TRUE, r.debug);
    }

    @Test
    void leavesAnythingElseToPicocli() {
        assertThrows(IllegalArgumentException.class, () -> FastPath.parseGlobals(new String[] {"-Dr", "x", "version"}, root()));
        assertThrows(IllegalArgumentException.class, () -> FastPath.parseGlobals(new String[] {"--version"}, root()));
        assertThrows(IllegalArgumentException.class, () -> FastPath.parseGlobals(new String[] {"-r"}, root()));
        assertTrue(FastPath.tryRun(new String[] {"version", "extra"}, root(), new PrintWriter(new StringWriter())).isEmpty());
        assertTrue(FastPath.tryRun(new String[] {"info"}, root(), new PrintWriter(new StringWriter())).isEmpty());
    }

    @Test
    void bothPathsPrintTheSame() throws Exception {
        try (FakeCri cri = new FakeCri()) {
            FakeCri.Result fast = cri.run("version");
            FakeCri.Result parsed = cri.run("-D", "-D", "version"); // a repeated flag is picocli's business
            assertEquals(0, fast.code(), fast.err());
            assertEquals(fast.out(), parsed.out());
            assertEquals(2, cri.requestsOf(io.berth.cri.v1.VersionRequest.class).size());
        }
    }
}

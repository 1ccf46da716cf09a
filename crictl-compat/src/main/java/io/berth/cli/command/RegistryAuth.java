package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cri.v1.AuthConfig;
import java.io.Console;

/** crictl's getAuth: --creds USER[:PASS], --auth BASE64, or --username with a password prompt. */
final class RegistryAuth {
    private RegistryAuth() {
    }

    static AuthConfig from(String creds, String auth, String username, java.io.PrintWriter out) {
        if (username != null && !username.isEmpty()) {
            out.print("Enter Password:");
            out.flush();
            Console console = System.console();
            if (console == null) {
                throw new CliException("inappropriate ioctl for device");
            }
            char[] pw = console.readPassword();
            out.print("\n");
            return AuthConfig.newBuilder().setUsername(username).setPassword(pw == null ? "" : new String(pw)).build();
        }
        boolean hasCreds = creds != null && !creds.isEmpty();
        boolean hasAuth = auth != null && !auth.isEmpty();
        if (hasCreds && hasAuth) {
            throw new CliException("both `--creds` and `--auth` are specified");
        }
        if (hasCreds) {
            String[] up = creds.split(":", 2);
            if (up.length == 1) {
                return AuthConfig.newBuilder().setUsername(up[0]).build();
            }
            if (up[0].isEmpty()) {
                throw new CliException("username can't be empty");
            }
            return AuthConfig.newBuilder().setUsername(up[0]).setPassword(up[1]).build();
        }
        if (hasAuth) {
            return AuthConfig.newBuilder().setAuth(auth).build();
        }
        return null;
    }
}

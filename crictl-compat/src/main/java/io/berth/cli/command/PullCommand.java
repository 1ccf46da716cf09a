package io.berth.cli.command;

import io.berth.cli.app.CliException;
import io.berth.cli.app.GoDuration;
import io.berth.cli.app.Session;
import io.berth.cli.config.CriConfigFiles;
import io.berth.cri.v1.AuthConfig;
import io.berth.cri.v1.PodSandboxConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pull", description = "Pull an image from a registry")
public final class PullCommand extends CriCommand {
    @Option(names = "--creds", paramLabel = "USERNAME[:PASSWORD]",
            description = "Use USERNAME[:PASSWORD] for accessing the registry [$CRICTL_CREDS]")
    String creds;

    @Option(names = "--auth", paramLabel = "AUTH_STRING",
            description = "Use AUTH_STRING for accessing the registry. AUTH_STRING is a base64 encoded 'USERNAME[:PASSWORD]' [$CRICTL_AUTH]")
    String auth;

    @Option(names = {"-u", "--username"}, paramLabel = "USERNAME",
            description = "Use USERNAME for accessing the registry. The password will be requested on the command line")
    String username;

    @Option(names = "--pod-config", paramLabel = "pod-config.[json|yaml]",
            description = "Use pod-config.[json|yaml] to override the pull context")
    String podConfig;

    @Option(names = {"-a", "--annotation"}, split = ",", description = "Annotation to be set on the pulled image")
    List<String> annotations = new ArrayList<>();

    @Option(names = {"--pull-timeout", "--pt"}, paramLabel = "DURATION",
            description = "Maximum time to be used for pulling the image, disabled if set to 0s [$CRICTL_PULL_TIMEOUT]")
    String pullTimeout;

    @Parameters(arity = "0..*", paramLabel = "NAME[:TAG|@DIGEST]")
    List<String> args = new ArrayList<>();

    @Override
    protected void run(Session s) {
        String imageName = args.isEmpty() ? "" : args.get(0);
        if (imageName.isEmpty()) {
            throw fail("image name cannot be empty");
        }
        if (args.size() > 1) {
            throw showHelp();
        }
        AuthConfig authConfig = RegistryAuth.from(env(creds, "CRICTL_CREDS"), env(auth, "CRICTL_AUTH"), username, s.out());
        PodSandboxConfig sandbox = null;
        if (podConfig != null) {
            try {
                sandbox = CriConfigFiles.loadPodSandboxConfig(Path.of(podConfig));
            } catch (CriConfigFiles.ConfigFileException e) {
                throw fail("load podSandboxConfig: " + e.getMessage());
            }
        }
        Map<String, String> ann = Labels.parse(annotations);
        Duration timeout = parseDuration(env(pullTimeout, "CRICTL_PULL_TIMEOUT"), "pull-timeout");
        String ref = ImagePulls.pull(s, "pulling image", imageName, authConfig, sandbox, ann, timeout);
        s.out().print("Image is up to date for " + ref + "\n");
    }

    static String env(String flag, String var) {
        if (flag != null) {
            return flag;
        }
        return System.getenv(var);
    }

    static Duration parseDuration(String value, String flag) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid value \"" + value + "\" for flag -" + flag + ": parse error");
        }
    }
}

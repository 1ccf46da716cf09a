package io.berth.cli.command;

import picocli.CommandLine.Option;

/** The image pull flags of create and run (crictl's createPullFlags / runPullFlags). */
public final class PullOptions {
    @Option(names = "--no-pull", description = "Do not pull the image (overrides the pull default of the config file)")
    boolean noPull;

    @Option(names = "--with-pull", description = "Pull the image (overrides the pull default of the config file)")
    boolean withPull;

    @Option(names = "--creds", paramLabel = "USERNAME[:PASSWORD]", description = "Use USERNAME[:PASSWORD] for accessing the registry")
    String creds;

    @Option(names = "--auth", paramLabel = "AUTH_STRING", description = "Use AUTH_STRING for accessing the registry. AUTH_STRING is a base64 encoded 'USERNAME[:PASSWORD]'")
    String auth;

    @Option(names = "--username", paramLabel = "USERNAME", description = "Use USERNAME for accessing the registry. The password will be requested on the command line")
    String username;

    @Option(names = {"-T", "--cancel-timeout"}, paramLabel = "DURATION", description = "Seconds to wait for a container create request to complete before cancelling the request")
    String cancelTimeout;

    @Option(names = {"--pull-timeout", "--pt"}, paramLabel = "DURATION", description = "Maximum time to be used for pulling the image, disabled if set to 0s [$CRICTL_PULL_TIMEOUT]")
    String pullTimeout;
}

package io.berth.cli.command;

import io.berth.cli.app.Session;
import io.berth.cli.config.CriConfigFiles;
import io.berth.cri.v1.AuthConfig;
import io.berth.cri.v1.ContainerConfig;
import io.berth.cri.v1.CreateContainerRequest;
import io.berth.cri.v1.Mount;
import io.berth.cri.v1.PodSandboxConfig;
import io.berth.cri.v1.RemoveContainerRequest;
import io.berth.cri.v1.StartContainerRequest;
import io.berth.cri.v1.StopContainerRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** crictl's CreateContainer, StartContainer, StopContainer and RemoveContainer helpers. */
final class ContainerLifecycle {
    private ContainerLifecycle() {
    }

    /** Loads the configs, pulls when asked, creates the container; returns its id. */
    static String create(Session s, String context, String podId, String containerConfigPath, String podConfigPath,
                         boolean withPull, PullOptions pull) {
        ContainerConfig config;
        PodSandboxConfig podConfig = null;
        try {
            config = CriConfigFiles.loadContainerConfig(Path.of(containerConfigPath));
            if (podConfigPath != null && !podConfigPath.isEmpty()) {
                podConfig = CriConfigFiles.loadPodSandboxConfig(Path.of(podConfigPath));
            }
        } catch (CriConfigFiles.ConfigFileException e) {
            throw CriCommand.fail(context + ": " + e.getMessage());
        }
        String image = config.getImage().getImage();
        if (config.getImage().getUserSpecifiedImage().isEmpty()) {
            config = config.toBuilder().setImage(config.getImage().toBuilder().setUserSpecifiedImage(image)).build();
        }
        if (withPull) {
            AuthConfig auth = RegistryAuth.from(pull.creds, pull.auth, pull.username, s.out());
            List<String> images = new ArrayList<>(List.of(image));
            s.log().info("Pulling container image: " + image);
            for (Mount m : config.getMountsList()) {
                if (m.hasImage() && !m.getImage().getImage().isEmpty()) {
                    s.log().info("Pulling image " + image + " to be mounted to container path: " + m.getContainerPath());
                    images.add(m.getImage().getImage());
                }
            }
            Duration pullTimeout = PullCommand.parseDuration(PullCommand.env(pull.pullTimeout, "CRICTL_PULL_TIMEOUT"),
                    "pull-timeout");
            for (String img : images) {
                ImagePulls.pull(s, context, img, auth, podConfig, config.getImage().getAnnotationsMap(), pullTimeout);
            }
        }
        CreateContainerRequest.Builder req = CreateContainerRequest.newBuilder().setPodSandboxId(podId).setConfig(config);
        if (podConfig != null) {
            req.setSandboxConfig(podConfig);
        }
        Duration timeout = PullCommand.parseDuration(pull.cancelTimeout, "cancel-timeout");
        return CriCommand.rpc(s, context, () -> s.runtime(timeout).createContainer(req.build())).getContainerId();
    }

    static void start(Session s, String context, String id) {
        if (id.isEmpty()) {
            throw CriCommand.fail(context + ": ID cannot be empty");
        }
        CriCommand.rpc(s, context, () -> s.runtime().startContainer(
                StartContainerRequest.newBuilder().setContainerId(id).build()));
        s.out().print(id + "\n");
    }

    /** StopContainer with the grace period added to the deadline, as the CRI client does. */
    static void stop(Session s, String context, String id, long timeoutSeconds) {
        if (id.isEmpty()) {
            throw CriCommand.fail(context + ": ID cannot be empty");
        }
        s.log().debug("Stopping container: " + id + " (timeout = " + timeoutSeconds + ")");
        Duration deadline = s.timeout().plusSeconds(timeoutSeconds);
        CriCommand.rpc(s, context, () -> s.runtime(deadline).stopContainer(
                StopContainerRequest.newBuilder().setContainerId(id).setTimeout(timeoutSeconds).build()));
        s.out().print(id + "\n");
    }

    static void remove(Session s, String context, String id) {
        if (id.isEmpty()) {
            throw CriCommand.fail(context + ": ID cannot be empty");
        }
        s.log().debug("Removing container: " + id);
        CriCommand.rpc(s, context, () -> s.runtime().removeContainer(
                RemoveContainerRequest.newBuilder().setContainerId(id).build()));
        s.out().print(id + "\n");
    }
}

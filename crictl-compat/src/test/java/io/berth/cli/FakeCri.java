package io.berth.cli;

import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.Endpoint;
import io.berth.cri.v1.*;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * An in-process CRI server with canned answers, recording every request: the boundary berthctl's
 * command tests fake. Unset answers fail with NOT_FOUND so a test notices an unexpected call.
 */
public final class FakeCri implements AutoCloseable {
    public final List<Object> requests = Collections.synchronizedList(new ArrayList<>());
    public VersionResponse version = VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName("fake")
            .setRuntimeVersion("1.2.3").setRuntimeApiVersion("v1").build();
    public StatusResponse status = StatusResponse.getDefaultInstance();
    public List<Image> images = new ArrayList<>();
    public List<PodSandbox> pods = new ArrayList<>();
    public List<Container> containers = new ArrayList<>();
    public Map<String, PodSandboxStatusResponse> podStatus = new HashMap<>();
    public Map<String, ContainerStatusResponse> containerStatus = new HashMap<>();
    public Map<String, ImageStatusResponse> imageStatus = new HashMap<>();
    public ImageFsInfoResponse imageFsInfo = ImageFsInfoResponse.getDefaultInstance();
    public String pulledRef = "sha256:0123";
    public String runPodId = "pod-created-1";
    public String createdContainerId = "ctr-created-1";
    /** An error every RPC answers with, when set. */
    public Status failAll;

    private final String name = "fake-cri-" + UUID.randomUUID();
    private final Server server;
    private final java.nio.file.Path configFile;

    public FakeCri() throws IOException {
        configFile = java.nio.file.Files.createTempFile("berthctl-test", ".yaml");
        java.nio.file.Files.writeString(configFile, "runtime-endpoint: unix:///fake/berth.sock\n");
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(new Runtime()).addService(new Images()).build().start();
    }

    /** Runs berthctl against this server; returns exit code, stdout and stderr. */
    public Result run(String... args) {
        return run(Map.of(), args);
    }

    public Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> fullEnv = new HashMap<>(env);
        Function<Endpoint, CriConnection> connector = ep -> {
            ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
            return CriConnection.over(ep, ch);
        };
        // an explicit config file, so that the machine's /etc/crictl.yaml never takes part
        List<String> all = new ArrayList<>(List.of("--config", configFile.toString()));
        if (env.containsKey("CRI_CONFIG_FILE") || (args.length > 0 && (args[0].equals("--config") || args[0].equals("-c")))) {
            all.clear();
        }
        all.addAll(List.of(args));
        java.io.ByteArrayOutputStream rawOut = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream rawErr = new java.io.ByteArrayOutputStream();
        int code = BerthctlMain.run(all.toArray(new String[0]), new PrintWriter(out), new PrintWriter(err), fullEnv,
                connector, new io.berth.cli.app.Session.Streams(rawOut, rawErr));
        return new Result(code, out + rawOut.toString(java.nio.charset.StandardCharsets.UTF_8),
                err + rawErr.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    public record Result(int code, String out, String err) {
    }

    @SuppressWarnings("unchecked")
    public <T> List<T> requestsOf(Class<T> type) {
        List<T> r = new ArrayList<>();
        synchronized (requests) {
            for (Object o : requests) {
                if (type.isInstance(o)) {
                    r.add((T) o);
                }
            }
        }
        return r;
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            java.nio.file.Files.deleteIfExists(configFile);
        } catch (IOException ignored) {
            // a temp file
        }
    }

    private <T> boolean failed(StreamObserver<T> obs) {
        if (failAll != null) {
            obs.onError(failAll.asRuntimeException());
            return true;
        }
        return false;
    }

    private <T> void answer(Object request, StreamObserver<T> obs, T response) {
        requests.add(request);
        if (failed(obs)) {
            return;
        }
        if (response == null) {
            obs.onError(Status.NOT_FOUND.withDescription("no canned answer for "
                    + request.getClass().getSimpleName()).asRuntimeException());
            return;
        }
        obs.onNext(response);
        obs.onCompleted();
    }

    private final class Runtime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
        @Override
        public void version(VersionRequest r, StreamObserver<VersionResponse> o) {
            answer(r, o, version);
        }

        @Override
        public void status(StatusRequest r, StreamObserver<StatusResponse> o) {
            answer(r, o, status);
        }

        @Override
        public void listPodSandbox(ListPodSandboxRequest r, StreamObserver<ListPodSandboxResponse> o) {
            answer(r, o, ListPodSandboxResponse.newBuilder().addAllItems(pods).build());
        }

        @Override
        public void podSandboxStatus(PodSandboxStatusRequest r, StreamObserver<PodSandboxStatusResponse> o) {
            PodSandboxStatusResponse resp = podStatus.get(r.getPodSandboxId());
            if (resp == null && failAll == null) {
                requests.add(r);
                o.onError(Status.NOT_FOUND.withDescription("pod sandbox " + r.getPodSandboxId() + " not found").asRuntimeException());
                return;
            }
            answer(r, o, resp);
        }

        @Override
        public void runPodSandbox(RunPodSandboxRequest r, StreamObserver<RunPodSandboxResponse> o) {
            answer(r, o, RunPodSandboxResponse.newBuilder().setPodSandboxId(runPodId).build());
        }

        @Override
        public void stopPodSandbox(StopPodSandboxRequest r, StreamObserver<StopPodSandboxResponse> o) {
            answer(r, o, StopPodSandboxResponse.getDefaultInstance());
        }

        @Override
        public void removePodSandbox(RemovePodSandboxRequest r, StreamObserver<RemovePodSandboxResponse> o) {
            answer(r, o, RemovePodSandboxResponse.getDefaultInstance());
        }

        @Override
        public void listContainers(ListContainersRequest r, StreamObserver<ListContainersResponse> o) {
            answer(r, o, ListContainersResponse.newBuilder().addAllContainers(containers).build());
        }

        @Override
        public void containerStatus(ContainerStatusRequest r, StreamObserver<ContainerStatusResponse> o) {
            ContainerStatusResponse resp = containerStatus.get(r.getContainerId());
            if (resp == null && failAll == null) {
                requests.add(r);
                o.onError(Status.NOT_FOUND.withDescription("container " + r.getContainerId() + " not found").asRuntimeException());
                return;
            }
            answer(r, o, resp);
        }

        @Override
        public void createContainer(CreateContainerRequest r, StreamObserver<CreateContainerResponse> o) {
            answer(r, o, CreateContainerResponse.newBuilder().setContainerId(createdContainerId).build());
        }

        @Override
        public void startContainer(StartContainerRequest r, StreamObserver<StartContainerResponse> o) {
            answer(r, o, StartContainerResponse.getDefaultInstance());
        }

        @Override
        public void stopContainer(StopContainerRequest r, StreamObserver<StopContainerResponse> o) {
            answer(r, o, StopContainerResponse.getDefaultInstance());
        }

        @Override
        public void removeContainer(RemoveContainerRequest r, StreamObserver<RemoveContainerResponse> o) {
            answer(r, o, RemoveContainerResponse.getDefaultInstance());
        }

        @Override
        public void updateContainerResources(UpdateContainerResourcesRequest r,
                                             StreamObserver<UpdateContainerResourcesResponse> o) {
            answer(r, o, UpdateContainerResourcesResponse.getDefaultInstance());
        }
    }

    private final class Images extends ImageServiceGrpc.ImageServiceImplBase {
        @Override
        public void listImages(ListImagesRequest r, StreamObserver<ListImagesResponse> o) {
            answer(r, o, ListImagesResponse.newBuilder().addAllImages(images).build());
        }

        @Override
        public void imageStatus(ImageStatusRequest r, StreamObserver<ImageStatusResponse> o) {
            answer(r, o, imageStatus.getOrDefault(r.getImage().getImage(), ImageStatusResponse.getDefaultInstance()));
        }

        @Override
        public void pullImage(PullImageRequest r, StreamObserver<PullImageResponse> o) {
            answer(r, o, PullImageResponse.newBuilder().setImageRef(pulledRef).build());
        }

        @Override
        public void removeImage(RemoveImageRequest r, StreamObserver<RemoveImageResponse> o) {
            answer(r, o, RemoveImageResponse.getDefaultInstance());
        }

        @Override
        public void imageFsInfo(ImageFsInfoRequest r, StreamObserver<ImageFsInfoResponse> o) {
            answer(r, o, imageFsInfo);
        }
    }
}

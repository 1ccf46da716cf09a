package io.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cli.FakeCri;
import io.berth.cri.v1.*;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berthctl commands against an in-process fake CRI server, outputs compared with crictl's formats. */
class CommandsTest {
    private FakeCri cri;

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        cri = new FakeCri();
    }

    @AfterEach
    void stop() {
        cri.close();
    }

    private static long nowNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    @Test
    void versionPrintsCrictlsFourLines() {
        FakeCri.Result r = cri.run("version");
        assertEquals(0, r.code(), r.err());
        assertEquals("Version:  0.1.0\nRuntimeName:  fake\nRuntimeVersion:  1.2.3\nRuntimeApiVersion:  v1\n", r.out());
        assertEquals("v1", cri.requestsOf(VersionRequest.class).get(0).getVersion());
    }

    /** crictl's own TestOutputStatusData expectations (cmd/crictl/util_test.go), through the real RPC. */
    private void cannedStatus() {
        cri.status = StatusResponse.newBuilder()
                .setStatus(RuntimeStatus.newBuilder().addConditions(RuntimeCondition.newBuilder()
                        .setType("NetworkReady").setStatus(false).setReason("NetworkPluginNotReady")
                        .setMessage("no network config found in C:\\Program Files")))
                .addRuntimeHandlers(RuntimeHandler.newBuilder().setName("runc")
                        .setFeatures(RuntimeHandlerFeatures.newBuilder().setRecursiveReadOnlyMounts(true)))
                .addRuntimeHandlers(RuntimeHandler.newBuilder().setName("crun")
                        .setFeatures(RuntimeHandlerFeatures.newBuilder().setRecursiveReadOnlyMounts(true).setUserNamespaces(true)))
                .build();
    }

    @Test
    void infoJsonMatchesCrictl() {
        cannedStatus();
        FakeCri.Result r = cri.run("info");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\n  \"runtimeHandlers\": [\n    {\n      \"features\": {\n        \"recursive_read_only_mounts\": true\n      },\n      \"name\": \"runc\"\n    },\n    {\n      \"features\": {\n        \"recursive_read_only_mounts\": true,\n        \"user_namespaces\": true\n      },\n      \"name\": \"crun\"\n    }\n  ],\n  \"status\": {\n    \"conditions\": [\n      {\n        \"message\": \"no network config found in C:\\\\Program Files\",\n        \"reason\": \"NetworkPluginNotReady\",\n        \"status\": false,\n        \"type\": \"NetworkReady\"\n      }\n    ]\n  }\n}\n",
                r.out());
        assertTrue(cri.requestsOf(StatusRequest.class).get(0).getVerbose(), "info asks for verbose status");
    }

    @Test
    void infoYamlWithInfoEntriesMatchesCrictl() {
        cannedStatus();
        cri.status = cri.status.toBuilder().putInfo("key1", "{\"foo\": \"bar\"}").putInfo("key2", "{\"bar\": \"baz\"}").build();
        FakeCri.Result r = cri.run("info", "-o", "yaml");
        assertEquals(0, r.code(), r.err());
        assertEquals("key1:\n  foo: bar\nkey2:\n  bar: baz\nruntimeHandlers:\n- features:\n    recursive_read_only_mounts: true\n  name: runc\n- features:\n    recursive_read_only_mounts: true\n    user_namespaces: true\n  name: crun\nstatus:\n  conditions:\n  - message: no network config found in C:\\Program Files\n    reason: NetworkPluginNotReady\n    status: false\n    type: NetworkReady\n\n",
                r.out());
    }

    @Test
    void infoGoTemplate() {
        cannedStatus();
        FakeCri.Result r = cri.run("info", "-o", "go-template", "--template", "NetworkReady: {{ (index .status.conditions 0).status }}");
        assertEquals(0, r.code(), r.err());
        assertEquals("NetworkReady: false\n", r.out());
    }

    @Test
    void quietInfoIsNotVerbose() {
        cannedStatus();
        assertEquals(0, cri.run("info", "-q").code());
        assertFalse(cri.requestsOf(StatusRequest.class).get(0).getVerbose());
    }

    private void cannedImages() {
        cri.images.add(Image.newBuilder().setId("sha256:873ed75102791e5b0b8a7fcd41606c92fcec98d56d05ead4ac5131650004c136")
                .addRepoTags("registry.k8s.io/pause:3.10")
                .addRepoDigests("registry.k8s.io/pause@sha256:ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a")
                .setSize(320368).setPinned(true).build());
        cri.images.add(Image.newBuilder().setId("sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741")
                .addRepoTags("docker.io/library/busybox:latest").addRepoTags("docker.io/library/busybox:1.36")
                .addRepoDigests("docker.io/library/busybox@sha256:9ae97d36d26566ff84e8893c64a6dc4fe8ca6d1144bf5b87b2b85a32def253c7")
                .setSize(2160000).build());
        cri.images.add(Image.newBuilder().setId("sha256:aaaa0000bbbb1111cccc2222dddd3333eeee4444ffff5555aaaa0000bbbb1111")
                .addRepoDigests("example.com/app@sha256:1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff")
                .setSize(999999).build());
    }

    @Test
    void imagesTableIsSortedAndHumanised() {
        cannedImages();
        FakeCri.Result r = cri.run("images");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "IMAGE                       TAG                 IMAGE ID            SIZE",
                "docker.io/library/busybox   latest              3f57d9401f8d4       2.16MB",
                "docker.io/library/busybox   1.36                3f57d9401f8d4       2.16MB",
                // crictl's imageByRef is not a total order: this is where Go's sort puts a tagless image
                "example.com/app             <none>              aaaa0000bbbb1       1e+03kB",
                "registry.k8s.io/pause       3.10                873ed75102791       320kB", ""), r.out());
    }

    @Test
    void imagesWithDigestsPinnedAndNoTrunc() {
        cannedImages();
        FakeCri.Result r = cri.run("img", "--digests", "--pinned", "--no-trunc", "registry.k8s.io/pause");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("IMAGE                       TAG                 DIGEST"), r.out());
        assertTrue(r.out().contains("sha256:873ed75102791e5b0b8a7fcd41606c92fcec98d56d05ead4ac5131650004c136   320kB               true"), r.out());
        assertEquals("registry.k8s.io/pause", cri.requestsOf(ListImagesRequest.class).get(0).getFilter().getImage().getImage());
    }

    @Test
    void imagesQuietAndFilters() {
        cannedImages();
        FakeCri.Result r = cri.run("images", "-q", "--filter", "dangling=true");
        assertEquals("sha256:aaaa0000bbbb1111cccc2222dddd3333eeee4444ffff5555aaaa0000bbbb1111\n", r.out());
        FakeCri.Result bad = cri.run("images", "--filter", "nope=1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("unknown filter flag: nope=1"), bad.err());
    }

    @Test
    void imagesJsonIsProtojsonWithDefaults() {
        cri.images.add(Image.newBuilder().setId("sha256:1").setSize(5).build());
        FakeCri.Result r = cri.run("images", "-o", "json");
        assertEquals(0, r.code(), r.err());
        assertEquals("{\n  \"images\": [\n    {\n      \"id\": \"sha256:1\",\n      \"repoTags\": [],\n      \"repoDigests\": [],\n      \"size\": \"5\",\n      \"username\": \"\",\n      \"pinned\": false\n    }\n  ]\n}\n",
                r.out());
    }

    @Test
    void podsTableAndFilters() {
        long now = nowNanos();
        cri.pods.add(PodSandbox.newBuilder().setId("8a3c2f1e9b7d6c5b4a3928171615141312111009")
                .setMetadata(PodSandboxMetadata.newBuilder().setName("nginx").setNamespace("default").setUid("u1"))
                .setState(PodSandboxState.SANDBOX_READY).setCreatedAt(now - 125_000_000_000L).build());
        cri.pods.add(PodSandbox.newBuilder().setId("1b2c3d4e5f6a7b8c")
                .setMetadata(PodSandboxMetadata.newBuilder().setName("coredns").setNamespace("kube-system").setAttempt(2))
                .setState(PodSandboxState.SANDBOX_NOTREADY).setRuntimeHandler("runc").setCreatedAt(now - 3 * 3_600_000_000_000L).build());
        FakeCri.Result r = cri.run("pods");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "POD ID              CREATED             STATE               NAME                NAMESPACE           ATTEMPT             RUNTIME",
                "8a3c2f1e9b7d6       2 minutes ago       Ready               nginx               default             0                   (default)",
                "1b2c3d4e5f6a7       3 hours ago         NotReady            coredns             kube-system         2                   runc", ""),
                r.out());
        FakeCri.Result latest = cri.run("pods", "-q", "--namespace", "kube", "--state", "NotReady", "--label", "a=b,c=d");
        assertEquals("1b2c3d4e5f6a7b8c\n", latest.out());
        PodSandboxFilter f = cri.requestsOf(ListPodSandboxRequest.class).get(1).getFilter();
        assertEquals(PodSandboxState.SANDBOX_NOTREADY, f.getState().getState());
        assertEquals(Map.of("a", "b", "c", "d"), f.getLabelSelectorMap());
        assertEquals(1, cri.run("pods", "--state", "bogus").code());
    }

    @Test
    void psDefaultsToRunningAndPrintsCrictlsColumns() {
        long now = nowNanos();
        cri.containers.add(Container.newBuilder().setId("abcdef0123456789").setPodSandboxId("8a3c2f1e9b7d6c5b4a39")
                .setMetadata(ContainerMetadata.newBuilder().setName("web").setAttempt(1))
                .setImage(ImageSpec.newBuilder().setImage("sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741"))
                .setState(ContainerState.CONTAINER_RUNNING).setCreatedAt(now - 30_000_000_000L)
                .putLabels("io.kubernetes.pod.name", "nginx").putLabels("io.kubernetes.pod.namespace", "default").build());
        FakeCri.Result r = cri.run("ps");
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "CONTAINER           IMAGE               CREATED             STATE               NAME                ATTEMPT             POD ID              POD                 NAMESPACE",
                "abcdef0123456       3f57d9401f8d4       30 seconds ago      Running             web                 1                   8a3c2f1e9b7d6       nginx               default", ""),
                r.out());
        assertEquals(ContainerState.CONTAINER_RUNNING, cri.requestsOf(ListContainersRequest.class).get(0).getFilter().getState().getState());
        cri.run("ps", "-a");
        assertFalse(cri.requestsOf(ListContainersRequest.class).get(1).getFilter().hasState(), "-a lists every state");
        cri.run("ps", "-s", "exited", "-p", "pod1");
        ContainerFilter f = cri.requestsOf(ListContainersRequest.class).get(2).getFilter();
        assertEquals(ContainerState.CONTAINER_EXITED, f.getState().getState());
        assertEquals("pod1", f.getPodSandboxId());
    }

    @Test
    void inspectpJsonHasCrictlsShape() {
        long created = 1_700_000_000_123_456_789L;
        cri.podStatus.put("p1", PodSandboxStatusResponse.newBuilder().setStatus(PodSandboxStatus.newBuilder().setId("p1")
                .setMetadata(PodSandboxMetadata.newBuilder().setName("n").setNamespace("ns").setUid("u"))
                .setState(PodSandboxState.SANDBOX_READY).setCreatedAt(created)).putInfo("info", "{\"pid\": 42}").build());
        FakeCri.Result r = cri.run("inspectp", "p1");
        assertEquals(0, r.code(), r.err());
        String createdText = io.berth.cli.format.GoTime.rfc3339Nano(created, ZoneId.systemDefault());
        assertTrue(r.out().contains("\"createdAt\": \"" + createdText + "\""), r.out());
        assertTrue(r.out().contains("\"network\": null"), "unset messages appear as null: " + r.out());
        assertTrue(r.out().contains("\"info\": {\n    \"pid\": 42\n  }"), r.out());
        assertTrue(r.out().startsWith("{\n  \"info\""), "keys are sorted: " + r.out());
        FakeCri.Result t = cri.run("inspectp", "-o", "go-template", "--template", "{{.status.metadata.name}}/{{.info.pid}}", "p1");
        assertEquals("n/42\n", t.out());
        FakeCri.Result table = cri.run("inspectp", "-o", "table", "-q", "p1");
        assertTrue(table.out().startsWith("ID: p1\nName: n\nUID: u\nNamespace: ns\nAttempt: 0\nStatus: SANDBOX_READY\n"), table.out());
    }

    @Test
    void rpcErrorsAreOneFatalLineAndExitOne() {
        cri.failAll = Status.NOT_FOUND.withDescription("pod sandbox \"x\" not found");
        FakeCri.Result r = cri.run("stopp", "x");
        assertEquals(1, r.code());
        assertEquals("", r.out());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].matches("time=\"[^\"]+\" level=fatal msg=\"stopping the pod sandbox \\\\\"x\\\\\": rpc error: code = NotFound desc = pod sandbox \\\\\"x\\\\\" not found\""),
                lines[0]);
    }

    @Test
    void rmpForceStopsReadyPodsAndAggregatesErrors() {
        cri.podStatus.put("ready", PodSandboxStatusResponse.newBuilder().setStatus(
                PodSandboxStatus.newBuilder().setId("ready").setState(PodSandboxState.SANDBOX_READY)).build());
        FakeCri.Result refused = cri.run("rmp", "ready");
        assertEquals(1, refused.code());
        // crictl's aggregate is a urfave MultiError: plain lines, no logrus prefix
        assertEquals("pod sandbox \"ready\" is running, please stop it first\n", refused.err());
        FakeCri.Result r = cri.run("rmp", "-f", "ready", "missing");
        assertEquals(1, r.code());
        assertEquals("Stopped sandbox ready\nRemoved sandbox ready\n", r.out());
        assertTrue(r.err().startsWith("getting sandbox status of pod \"missing\": rpc error: code = NotFound"), r.err());
        assertEquals(1, r.err().split("\n").length, r.err());
    }

    @Test
    void runpReadsCrictlYamlWithProtoNames() throws IOException {
        Path cfg = tmp.resolve("pod.yaml");
        Files.writeString(cfg, String.join("\n",
                "metadata:",
                "  name: busybox-sandbox",
                "  namespace: default",
                "  attempt: 1",
                "  uid: hdishd83djaidwnduwk28bcsb",
                "log_directory: /tmp",
                "linux:",
                "  security_context:",
                "    namespace_options:",
                "      network: 2",
                "labels:",
                "  app: demo", ""));
        FakeCri.Result r = cri.run("runp", "--runtime", "runc", cfg.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("pod-created-1\n", r.out());
        RunPodSandboxRequest req = cri.requestsOf(RunPodSandboxRequest.class).get(0);
        assertEquals("runc", req.getRuntimeHandler());
        assertEquals("busybox-sandbox", req.getConfig().getMetadata().getName());
        assertEquals(NamespaceMode.NODE, req.getConfig().getLinux().getSecurityContext().getNamespaceOptions().getNetwork());
        assertEquals("demo", req.getConfig().getLabelsMap().get("app"));

        Path json = tmp.resolve("pod.json");
        Files.writeString(json, "{\"metadata\": {\"name\": \"n\", \"namespace\": \"ns\", \"uid\": \"u\"}, \"unknown_field\": 1}");
        assertEquals(0, cri.run("runp", json.toString()).code());
        Files.writeString(json, "{\"metadata\": {\"name\": \"n\"}}");
        FakeCri.Result bad = cri.run("runp", json.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("load podSandboxConfig: name, namespace or uid is not in metadata"), bad.err());
        FakeCri.Result missing = cri.run("runp", tmp.resolve("nope.json").toString());
        assertTrue(missing.err().contains("config at " + tmp.resolve("nope.json") + " not found"), missing.err());
    }

    @Test
    void createAndRunPullOnlyWhenAsked() throws IOException {
        Path pod = tmp.resolve("pod.json");
        Files.writeString(pod, "{\"metadata\": {\"name\": \"n\", \"namespace\": \"ns\", \"uid\": \"u\"}}");
        Path ctr = tmp.resolve("ctr.json");
        Files.writeString(ctr, "{\"metadata\": {\"name\": \"c\"}, \"image\": {\"image\": \"busybox\"}, \"command\": [\"top\"]}");
        FakeCri.Result created = cri.run("create", "pod-1", ctr.toString(), pod.toString());
        assertEquals(0, created.code(), created.err());
        assertEquals("ctr-created-1\n", created.out());
        assertTrue(cri.requestsOf(PullImageRequest.class).isEmpty(), "create does not pull by default");
        CreateContainerRequest req = cri.requestsOf(CreateContainerRequest.class).get(0);
        assertEquals("busybox", req.getConfig().getImage().getUserSpecifiedImage());
        assertEquals("pod-1", req.getPodSandboxId());

        FakeCri.Result run = cri.run("run", ctr.toString(), pod.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals("ctr-created-1\n", run.out());
        assertEquals(1, cri.requestsOf(PullImageRequest.class).size(), "run pulls by default");
        assertEquals(1, cri.run("create", "--with-pull", "--no-pull", "p", ctr.toString(), pod.toString()).code());
    }

    @Test
    void pullWithCreds() {
        FakeCri.Result r = cri.run("pull", "--creds", "user:pa:ss", "busybox:latest");
        assertEquals(0, r.code(), r.err());
        assertEquals("Image is up to date for sha256:0123\n", r.out());
        PullImageRequest req = cri.requestsOf(PullImageRequest.class).get(0);
        assertEquals("user", req.getAuth().getUsername());
        assertEquals("pa:ss", req.getAuth().getPassword());
        assertEquals(1, cri.run("pull", "--creds", "u", "--auth", "x", "i").code());
        assertTrue(cri.run("pull").err().contains("image name cannot be empty"));
    }

    @Test
    void rmiAllSkipsNothingButPruneKeepsPinnedAndUsed() {
        cannedImages();
        for (Image i : cri.images) {
            cri.imageStatus.put(i.getId(), ImageStatusResponse.newBuilder().setImage(i).build());
        }
        cri.containers.add(Container.newBuilder().setId("c").setImage(ImageSpec.newBuilder()
                .setImage("sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741")).build());
        FakeCri.Result r = cri.run("rmi", "--prune");
        assertEquals(0, r.code(), r.err());
        assertEquals("Deleted: example.com/app@sha256:1111222233334444555566667777888899990000aaaabbbbccccddddeeeeffff\n", r.out());
    }

    @Test
    void logsTailTimestampsAndPrevious() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("pods/ns_pod_uid/web"));
        Files.writeString(dir.resolve("0.log"), "2024-01-02T03:04:05.000000001Z stdout F old\n");
        Files.writeString(dir.resolve("1.log"), String.join("\n",
                "2024-01-02T03:04:05.123456789Z stdout F one",
                "2024-01-02T03:04:06.5Z stderr F two",
                "2024-01-02T03:04:07Z stdout P par",
                "2024-01-02T03:04:07Z stdout F tial",
                "2024-01-02T03:04:08Z stdout F three", ""));
        cri.containerStatus.put("c1", ContainerStatusResponse.newBuilder().setStatus(ContainerStatus.newBuilder().setId("c1")
                .setMetadata(ContainerMetadata.newBuilder().setName("web").setAttempt(1))
                .setState(ContainerState.CONTAINER_EXITED).setLogPath(dir.resolve("1.log").toString())).build());
        FakeCri.Result all = cri.run("logs", "c1");
        assertEquals("one\npartial\nthree\n", all.out());
        assertEquals("two\n", all.err(), "stderr entries go to stderr");
        // the partial line counts as an entry of its own, as in kubelet's tail
        assertEquals("tial\nthree\n", cri.run("logs", "--tail", "2", "c1").out());
        assertEquals("2024-01-02T03:04:07.000000000Z partial\n2024-01-02T03:04:08.000000000Z three\n",
                cri.run("logs", "-t", "--since", "2024-01-02T03:04:07Z", "c1").out());
        assertEquals("old\n", cri.run("logs", "-p", "c1").out());
        // --follow on a container that is not running prints what there is and returns
        assertEquals("one\npartial\nthree\n", cri.run("logs", "-f", "c1").out());
        assertEquals("one\n", cri.run("logs", "--limit-bytes", "4", "c1").out());
        assertTrue(cri.run("logs").err().contains("ID cannot be empty"));
    }

    @Test
    void configGetSetList() throws IOException {
        Path cfg = tmp.resolve("crictl.yaml");
        Map<String, String> env = Map.of("CRI_CONFIG_FILE", cfg.toString());
        assertEquals(0, cri.run(env, "config", "--set", "runtime-endpoint=unix:///x.sock,timeout=5").code());
        assertEquals("unix:///x.sock\n", cri.run(env, "config", "--get", "runtime-endpoint").out());
        assertEquals("5\n", cri.run(env, "config", "--get", "timeout").out());
        assertEquals("runtime-endpoint: unix:///x.sock\nimage-endpoint: \"\"\ntimeout: 5\ndebug: false\n"
                + "pull-image-on-create: false\ndisable-pull-on-run: false\n", Files.readString(cfg));
        assertEquals(0, cri.run(env, "config", "debug", "true").code());
        assertEquals("true\n", cri.run(env, "config", "--get", "debug").out());
        String list = cri.run(env, "config", "--list").out();
        assertTrue(list.contains("runtime-endpoint       unix:///x.sock\n"), list);
        assertTrue(list.startsWith("\033[2J\033[HKEY "), "crictl clears the screen first: " + list);
        FakeCri.Result bad = cri.run(env, "config", "--set", "nope=1");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("no configuration option named nope"), bad.err());
    }

    @Test
    void configFileEndpointAndTimeoutAreUsed() throws IOException {
        Path cfg = tmp.resolve("crictl.yaml");
        Files.writeString(cfg, "runtime-endpoint: unix:///from/config.sock\ntimeout: 7\ndebug: true\n");
        FakeCri.Result r = cri.run(Map.of("CRI_CONFIG_FILE", cfg.toString()), "version");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("Connect using endpoint \\\"unix:///from/config.sock\\\" with \\\"7s\\\" timeout"), r.err());
        Files.writeString(cfg, "bogus-key: 1\n");
        FakeCri.Result bad = cri.run(Map.of("CRI_CONFIG_FILE", cfg.toString()), "version");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("Config option 'bogus-key' is not valid"), bad.err());
    }

    @Test
    void stopUsesGracePeriodAndUpdateSendsLinuxResources() {
        assertEquals("c1\n", cri.run("stop", "-t", "5", "c1").out());
        assertEquals(5, cri.requestsOf(StopContainerRequest.class).get(0).getTimeout());
        assertEquals("c1\n", cri.run("update", "--memory", "1048576", "--cpu-quota", "5000", "c1").out());
        UpdateContainerResourcesRequest u = cri.requestsOf(UpdateContainerResourcesRequest.class).get(0);
        assertEquals(1048576, u.getLinux().getMemoryLimitInBytes());
        assertEquals(5000, u.getLinux().getCpuQuota());
        assertTrue(cri.run("start").err().contains("ID cannot be empty"));
    }

    @Test
    void imagefsinfoTable() {
        cri.imageFsInfo = ImageFsInfoResponse.newBuilder().addImageFilesystems(FilesystemUsage.newBuilder()
                .setTimestamp(1700000000000000000L).setFsId(FilesystemIdentifier.newBuilder().setMountpoint("/var/lib/berth"))
                .setUsedBytes(UInt64Value.newBuilder().setValue(1585000)).setInodesUsed(UInt64Value.newBuilder().setValue(42)))
                .build();
        assertEquals("Container Filesystem \nImage Filesystem \nTimeStamp[0]: 1700000000000000000\nDisk[0]: 1.585MB\n"
                + "Inodes[0]: 42\nMountpoint[0]: /var/lib/berth\n", cri.run("imagefsinfo", "-o", "table").out());
    }

    @Test
    void completionListsCommands() {
        String bash = cri.run("completion").out();
        assertTrue(bash.contains("complete -F _berthctl berthctl"));
        for (String c : List.of("runp", "inspecti", "img", "--runtime-endpoint", "rmp")) {
            assertTrue(bash.contains("\n" + c + "\n"), c);
        }
        assertTrue(cri.run("completion", "zsh").out().startsWith("#compdef berthctl"));
        assertEquals(1, cri.run("completion", "tcsh").code());
    }

    @Test
    void wrongArgumentCountShowsHelpLikeCrictl() {
        FakeCri.Result r = cri.run("stopp");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: berthctl stopp"), r.out());
    }

    @Test
    void benchPodLifecycleReportsPercentiles() throws Exception {
        FakeCri.Result r = cri.run("bench", "pod", "--count", "6", "--concurrency", "2", "--warmup", "2", "-o", "json");
        assertEquals(0, r.code(), r.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("pod", json.get("scenario").asText());
        assertEquals(6, json.get("succeeded").asInt());
        assertEquals("fake", json.get("runtime").get("name").asText());
        for (String phase : List.of("RunPodSandbox", "StopPodSandbox", "RemovePodSandbox", "total")) {
            var p = json.get("phases").get(phase);
            assertEquals(6, p.get("count").asInt(), phase);
            assertTrue(p.get("p50Ms").asDouble() <= p.get("p99Ms").asDouble() && p.get("p99Ms").asDouble() <= p.get("maxMs").asDouble());
        }
        assertEquals(8, cri.requestsOf(RunPodSandboxRequest.class).size(), "warm-up iterations run too");
        assertEquals(8, cri.requestsOf(RemovePodSandboxRequest.class).size());
        long distinct = cri.requestsOf(RunPodSandboxRequest.class).stream().map(q -> q.getConfig().getMetadata().getName()).distinct().count();
        assertEquals(8, distinct, "every pod gets its own name");
    }

    @Test
    void benchContainerAndImageScenarios() throws Exception {
        FakeCri.Result c = cri.run("bench", "container", "--image", "busybox", "--count", "4", "--concurrency", "2",
                "--warmup", "0", "-o", "json");
        assertEquals(0, c.code(), c.err());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(c.out());
        assertEquals(4, json.get("phases").get("StartContainer").get("count").asInt());
        assertEquals(2, cri.requestsOf(RunPodSandboxRequest.class).size(), "one pod per worker");
        assertEquals(2, cri.requestsOf(RemovePodSandboxRequest.class).size(), "pods are removed afterwards");
        FakeCri.Result i = cri.run("bench", "image", "--image", "a", "--image", "b", "--count", "4", "--warmup", "0");
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("PullImage"), i.out());
        assertEquals(4, cri.requestsOf(RemoveImageRequest.class).size());
        assertEquals(1, cri.run("bench", "image", "--image", "a", "--concurrency", "2").code(),
                "pull+remove of one image by two workers would race");
    }

    @Test
    void benchCountsFailuresAndExitsNonZero() {
        cri.failAll = Status.UNAVAILABLE.withDescription("down");
        FakeCri.Result r = cri.run("bench", "image", "--image", "busybox", "--count", "2");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("getting the runtime version"), r.err());
    }
}

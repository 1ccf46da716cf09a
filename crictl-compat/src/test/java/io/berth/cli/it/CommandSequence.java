package io.berth.cli.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.cli.connect.CriConnection;
import io.berth.cli.connect.Endpoint;
import io.berth.cli.format.HumanUnits;
import io.berth.cri.v1.Container;
import io.berth.cri.v1.ContainerState;
import io.berth.cri.v1.ContainerStatusRequest;
import io.berth.cri.v1.Image;
import io.berth.cri.v1.ImageFsInfoRequest;
import io.berth.cri.v1.ImageServiceGrpc.ImageServiceBlockingStub;
import io.berth.cri.v1.ImageSpec;
import io.berth.cri.v1.ImageStatusRequest;
import io.berth.cri.v1.ListContainersRequest;
import io.berth.cri.v1.ListImagesRequest;
import io.berth.cri.v1.ListPodSandboxRequest;
import io.berth.cri.v1.PodSandbox;
import io.berth.cri.v1.PodSandboxState;
import io.berth.cri.v1.PodSandboxStatusRequest;
import io.berth.cri.v1.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operator's command sequence, run against one CRI endpoint: every output is checked for crictl's
 * FORMAT (tabwriter layout and headers of the golden tables, 13-character ids, crictl's JSON keys) and
 * for CONTENT against what the runtime itself answers over CRI.
 */
final class CommandSequence {
    /** What differs between runtimes: where they listen, the image an operator pulls, the pod network. */
    record Target(String endpoint, String busyboxRef, String busyboxRepo, String busyboxTag, String subnetPrefix, Path dir) {
    }

    // crictl v1.32's JSON keys, as it printed them against containerd 1.6 on this machine (proto order)
    static final List<String> POD_KEYS = List.of("id", "metadata", "state", "createdAt", "labels", "annotations", "runtimeHandler");
    static final List<String> POD_METADATA_KEYS = List.of("name", "uid", "namespace", "attempt");
    static final List<String> CONTAINER_KEYS = List.of("id", "podSandboxId", "metadata", "image", "imageRef", "state",
            "createdAt", "labels", "annotations", "imageId");
    static final List<String> IMAGE_SPEC_KEYS = List.of("image", "annotations", "userSpecifiedImage", "runtimeHandler");
    // uid and spec are messages: protojson leaves them out when the runtime does not set them (containerd 1.6: no spec)
    static final List<String> IMAGE_KEYS = List.of("id", "repoTags", "repoDigests", "size", "uid", "username", "spec", "pinned");
    static final Set<String> OPTIONAL_IMAGE_KEYS = Set.of("uid", "spec");
    static final List<String> FS_KEYS = List.of("fsId", "inodesUsed", "timestamp", "usedBytes");
    static final List<String> STATS_KEYS = List.of("attributes", "cpu", "memory", "writableLayer");
    static final List<String> STATS_HEADERS = List.of("CONTAINER", "NAME", "CPU %", "MEM", "DISK", "INODES", "SWAP");
    // crictl's inspect status (a map through encoding/json: sorted); stopSignal is newer than crictl v1.32's CRI
    static final Set<String> CONTAINER_STATUS_KEYS = Set.of("annotations", "createdAt", "exitCode", "finishedAt", "id",
            "image", "imageId", "imageRef", "labels", "logPath", "message", "metadata", "mounts", "reason", "resources",
            "startedAt", "state", "user");
    static final Set<String> POD_STATUS_KEYS = Set.of("annotations", "createdAt", "id", "labels", "linux", "metadata",
            "network", "runtimeHandler", "state");
    private static final String AGE = "(Less than a second|About a minute|About an hour|\\d+ (seconds|minutes|hours)) ago";
    private static final String LOG_TEXT = "one\ntwo\nthree\n";

    private final Target t;
    private final Berthctl ctl;
    private final CriConnection truth;
    private final RuntimeServiceBlockingStub rt;
    private final ImageServiceBlockingStub img;
    private final ObjectMapper json = new ObjectMapper();

    CommandSequence(Target t) throws IOException {
        this.t = t;
        this.ctl = new Berthctl(Files.createDirectories(t.dir().resolve("ctl")), t.endpoint());
        this.truth = CriConnection.open(Endpoint.parse(t.endpoint()));
        this.rt = truth.runtime(Duration.ofSeconds(60));
        this.img = truth.image(Duration.ofSeconds(120));
    }

    void run() throws Exception {
        try {
            String imageId = images();
            Path podJson = writePodJson();
            Path podYaml = writePodYaml();
            Path ctrJson = writeContainerJson();
            String pod = pods(podJson, podYaml);
            String ctr = containers(pod, ctrJson, podJson, imageId);
            teardown(pod, ctr, ctrJson, podJson);
            errors();
        } finally {
            truth.close();
        }
    }

    // ---- images ----

    private String images() throws Exception {
        Berthctl.Run pull = ctl.ok("pull", t.busyboxRef());
        String imageId = img.imageStatus(ImageStatusRequest.newBuilder().setImage(spec(t.busyboxRef())).build()).getImage().getId();
        assertTrue(imageId.matches("sha256:[0-9a-f]{64}"), imageId);
        assertEquals("Image is up to date for " + imageId + "\n", pull.out());

        List<Image> listed = img.listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
        CrictlTable table = CrictlTable.parse(ctl.ok("images").out(), CrictlTable.goldenHeaders("images"));
        List<String> expected = new ArrayList<>();
        for (Image i : listed) {
            String size = HumanUnits.humanSizeWithPrecision(i.getSize(), 3);
            String shortId = truncated(i.getId());
            if (i.getRepoTagsCount() == 0) {
                expected.add("<none> <none> " + shortId + " " + size);
            }
            for (String tag : i.getRepoTagsList()) {
                int colon = tag.lastIndexOf(':');
                expected.add(tag.substring(0, colon) + " " + tag.substring(colon + 1) + " " + shortId + " " + size);
            }
        }
        List<String> actual = table.rows().stream().map(r -> String.join(" ", r.values())).collect(Collectors.toList());
        assertEquals(sorted(expected), sorted(actual), "images rows = ListImages");
        assertTrue(actual.contains(t.busyboxRepo() + " " + t.busyboxTag() + " " + truncated(imageId) + " "
                + HumanUnits.humanSizeWithPrecision(size(listed, imageId), 3)), actual.toString());

        assertEquals(sorted(listed.stream().map(Image::getId).toList()), sorted(lines(ctl.ok("images", "-q").out())));

        JsonNode imagesJson = json.readTree(ctl.ok("images", "-o", "json").out());
        assertEquals(List.of("images"), keys(imagesJson));
        Set<String> jsonIds = new HashSet<>();
        for (JsonNode i : imagesJson.get("images")) {
            List<String> expectedKeys = IMAGE_KEYS.stream().filter(k -> !OPTIONAL_IMAGE_KEYS.contains(k) || i.has(k)).toList();
            assertEquals(expectedKeys, keys(i), "crictl's image keys");
            assertTrue(i.get("size").isTextual(), "int64 as a string: " + i);
            jsonIds.add(i.get("id").asText());
        }
        assertEquals(new HashSet<>(listed.stream().map(Image::getId).toList()), jsonIds);

        JsonNode inspect = json.readTree(ctl.ok("inspecti", t.busyboxRef()).out());
        assertSorted(inspect);
        JsonNode status = inspect.get("status");
        assertSorted(status);
        assertEquals(imageId, status.get("id").asText());
        assertTrue(status.get("repoTags").toString().contains("\"" + t.busyboxRef() + "\""), status.toString());
        assertEquals(Long.toString(size(listed, imageId)), status.get("size").asText());

        JsonNode fs = json.readTree(ctl.ok("imagefsinfo").out());
        assertEquals(List.of("status"), keys(fs));
        JsonNode fs0 = fs.get("status").get("imageFilesystems").get(0);
        assertEquals(FS_KEYS, keys(fs0));
        String mountpoint = img.imageFsInfo(ImageFsInfoRequest.getDefaultInstance()).getImageFilesystems(0).getFsId().getMountpoint();
        assertEquals(mountpoint, fs0.get("fsId").get("mountpoint").asText());
        assertTrue(fs0.get("usedBytes").get("value").isTextual(), fs0.toString());
        return imageId;
    }

    // ---- pods ----

    private Path writePodJson() throws IOException {
        // crictl's own example format: proto (snake_case) names, as in its docs' pod-config.json
        return Files.writeString(t.dir().resolve("pod.json"), """
                {
                  "metadata": {"name": "cli-json", "namespace": "default", "attempt": 1, "uid": "cli-json-uid"},
                  "log_directory": "%s",
                  "labels": {"app": "cli", "kind": "json"},
                  "linux": {"security_context": {"namespace_options": {"network": 0}}}
                }
                """.formatted(Files.createDirectories(t.dir().resolve("logs-json"))));
    }

    private Path writePodYaml() throws IOException {
        return Files.writeString(t.dir().resolve("pod.yaml"), """
                metadata:
                  name: cli-yaml
                  namespace: kube-system
                  attempt: 0
                  uid: cli-yaml-uid
                log_directory: %s
                labels:
                  app: cli
                  kind: yaml
                linux:
                  security_context:
                    namespace_options:
                      network: 0
                """.formatted(Files.createDirectories(t.dir().resolve("logs-yaml"))));
    }

    private Path writeContainerJson() throws IOException {
        return Files.writeString(t.dir().resolve("ctr.json"), """
                {
                  "metadata": {"name": "cli-ctr"},
                  "image": {"image": "%s"},
                  "command": ["sh", "-c", "echo one; echo two; echo three; exec sleep 3600"],
                  "log_path": "cli-ctr.log",
                  "linux": {}
                }
                """.formatted(t.busyboxRef()));
    }

    private String pods(Path podJson, Path podYaml) throws Exception {
        String jsonPod = singleId(ctl.ok("runp", podJson.toString()).out());
        String yamlPod = singleId(ctl.ok("runp", podYaml.toString()).out());
        var yamlStatus = rt.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(yamlPod).build()).getStatus();
        assertEquals("cli-yaml", yamlStatus.getMetadata().getName());
        assertEquals("kube-system", yamlStatus.getMetadata().getNamespace());
        assertEquals(Map.of("app", "cli", "kind", "yaml"), yamlStatus.getLabelsMap());

        List<PodSandbox> truthPods = new ArrayList<>(rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList());
        truthPods.sort(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed()); // crictl: newest first
        CrictlTable table = CrictlTable.parse(ctl.ok("pods").out(), CrictlTable.goldenHeaders("pods"));
        assertEquals(truthPods.size(), table.rows().size(), table.toString());
        for (int i = 0; i < truthPods.size(); i++) {
            PodSandbox p = truthPods.get(i);
            Map<String, String> row = table.rows().get(i);
            assertEquals(truncated(p.getId()), row.get("POD ID"));
            assertTrue(row.get("CREATED").matches(AGE), row.get("CREATED"));
            assertEquals(p.getState() == PodSandboxState.SANDBOX_READY ? "Ready" : "NotReady", row.get("STATE"));
            assertEquals("Ready", row.get("STATE"));
            assertEquals(p.getMetadata().getName(), row.get("NAME"));
            assertEquals(p.getMetadata().getNamespace(), row.get("NAMESPACE"));
            assertEquals(Integer.toString(p.getMetadata().getAttempt()), row.get("ATTEMPT"));
            assertEquals(p.getRuntimeHandler().isEmpty() ? "(default)" : p.getRuntimeHandler(), row.get("RUNTIME"));
        }
        assertEquals(Set.of(jsonPod, yamlPod), Set.copyOf(truthPods.stream().map(PodSandbox::getId).toList()));

        CrictlTable byName = CrictlTable.parse(ctl.ok("pods", "--name", "cli-json").out(), CrictlTable.goldenHeaders("pods"));
        assertEquals(List.of(truncated(jsonPod)), byName.column("POD ID"));
        CrictlTable byLabel = CrictlTable.parse(ctl.ok("pods", "--label", "kind=yaml").out(), CrictlTable.goldenHeaders("pods"));
        assertEquals(List.of(truncated(yamlPod)), byLabel.column("POD ID"));
        assertEquals(List.of("cli-yaml"), byLabel.column("NAME"));
        assertEquals(Set.of(jsonPod, yamlPod), Set.copyOf(lines(ctl.ok("pods", "-q").out())));
        assertEquals(List.of(yamlPod), lines(ctl.ok("pods", "-q", "--label", "kind=yaml", "--namespace", "kube-system").out()));
        CrictlTable full = CrictlTable.parse(ctl.ok("pods", "--no-trunc").out(), CrictlTable.goldenHeaders("pods"));
        assertEquals(truthPods.stream().map(PodSandbox::getId).toList(), full.column("POD ID"));

        JsonNode podsJson = json.readTree(ctl.ok("pods", "-o", "json", "--name", "cli-json").out());
        assertEquals(List.of("items"), keys(podsJson));
        JsonNode item = podsJson.get("items").get(0);
        assertEquals(1, podsJson.get("items").size());
        assertEquals(POD_KEYS, keys(item));
        assertEquals(POD_METADATA_KEYS, keys(item.get("metadata")));
        assertEquals(jsonPod, item.get("id").asText());
        assertEquals("SANDBOX_READY", item.get("state").asText());
        assertTrue(item.get("createdAt").isTextual(), "int64 as a string");
        assertEquals("json", item.get("labels").get("kind").asText());

        JsonNode inspectp = json.readTree(ctl.ok("inspectp", jsonPod).out());
        assertSorted(inspectp);
        JsonNode st = inspectp.get("status");
        assertSorted(st);
        assertTrue(keySet(st).containsAll(POD_STATUS_KEYS), "crictl's inspectp keys " + POD_STATUS_KEYS + " in " + keys(st));
        assertEquals(jsonPod, st.get("id").asText());
        assertEquals("SANDBOX_READY", st.get("state").asText());
        assertEquals("cli-json", st.get("metadata").get("name").asText());
        assertEquals("cli-json-uid", st.get("metadata").get("uid").asText());
        String ip = st.get("network").get("ip").asText();
        assertTrue(ip.startsWith(t.subnetPrefix()), "the pod's IP comes from the test network: " + ip);
        assertEquals(rt.podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(jsonPod).build())
                .getStatus().getNetwork().getIp(), ip);

        JsonNode yamlDoc = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(ctl.ok("inspectp", "-o", "yaml", yamlPod).out());
        assertEquals(yamlPod, yamlDoc.get("status").get("id").asText());

        assertEquals(List.of(yamlPod), lines(ctl.ok("stopp", yamlPod).out()).stream()
                .map(l -> l.replace("Stopped sandbox ", "")).toList());
        assertEquals(List.of(yamlPod), lines(ctl.ok("rmp", yamlPod).out()).stream()
                .map(l -> l.replace("Removed sandbox ", "")).toList());
        assertEquals(List.of(jsonPod), lines(ctl.ok("pods", "-q").out()));
        return jsonPod;
    }

    // ---- containers ----

    private String containers(String pod, Path ctrJson, Path podJson, String imageId) throws Exception {
        String ctr = singleId(ctl.ok("create", pod, ctrJson.toString(), podJson.toString()).out());
        assertEquals(ContainerState.CONTAINER_CREATED, containerState(ctr));
        assertEquals(List.of(), lines(ctl.ok("ps", "-q").out()), "ps lists running containers only");
        CrictlTable created = CrictlTable.parse(ctl.ok("ps", "-a").out(), CrictlTable.goldenHeaders("ps"));
        assertEquals(List.of("Created"), created.column("STATE"));

        assertEquals(ctr + "\n", ctl.ok("start", ctr).out());
        assertEquals(ContainerState.CONTAINER_RUNNING, containerState(ctr));

        List<Container> truthCtrs = rt.listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
        assertEquals(1, truthCtrs.size());
        Container c = truthCtrs.get(0);
        CrictlTable ps = CrictlTable.parse(ctl.ok("ps").out(), CrictlTable.goldenHeaders("ps"));
        assertEquals(1, ps.rows().size());
        Map<String, String> row = ps.rows().get(0);
        assertEquals(truncated(ctr), row.get("CONTAINER"));
        String image = c.getImage().getImage();
        assertEquals(image.matches("sha256:[0-9a-f]{64}") ? truncated(image) : image, row.get("IMAGE"));
        assertTrue(row.get("CREATED").matches(AGE), row.get("CREATED"));
        assertEquals("Running", row.get("STATE"));
        assertEquals("cli-ctr", row.get("NAME"));
        assertEquals("0", row.get("ATTEMPT"));
        assertEquals(truncated(pod), row.get("POD ID"));
        assertEquals("unknown", row.get("POD"), "no io.kubernetes.pod.name label");
        assertEquals("unknown", row.get("NAMESPACE"));

        assertEquals(List.of(ctr), lines(ctl.ok("ps", "--pod", pod, "-q").out()));
        assertEquals(List.of(ctr), lines(ctl.ok("ps", "--state", "running", "-q").out()));
        assertEquals(List.of(), lines(ctl.ok("ps", "--state", "exited", "-q").out()));
        CrictlTable byPod = CrictlTable.parse(ctl.ok("ps", "-a", "--pod", pod).out(), CrictlTable.goldenHeaders("ps"));
        assertEquals(List.of(truncated(ctr)), byPod.column("CONTAINER"));

        JsonNode psJson = json.readTree(ctl.ok("ps", "-o", "json").out());
        assertEquals(List.of("containers"), keys(psJson));
        JsonNode jc = psJson.get("containers").get(0);
        assertEquals(CONTAINER_KEYS, keys(jc), "crictl's container keys");
        assertEquals(IMAGE_SPEC_KEYS, keys(jc.get("image")));
        assertEquals(ctr, jc.get("id").asText());
        assertEquals(pod, jc.get("podSandboxId").asText());
        assertEquals("CONTAINER_RUNNING", jc.get("state").asText());
        assertEquals(c.getImageRef(), jc.get("imageRef").asText());
        assertEquals(Long.toString(c.getCreatedAt()), jc.get("createdAt").asText());

        JsonNode inspect = json.readTree(ctl.ok("inspect", ctr).out());
        assertSorted(inspect);
        JsonNode st = inspect.get("status");
        assertSorted(st);
        assertTrue(keySet(st).containsAll(CONTAINER_STATUS_KEYS), "crictl's inspect keys " + CONTAINER_STATUS_KEYS + " in " + keys(st));
        assertEquals(ctr, st.get("id").asText());
        assertEquals("CONTAINER_RUNNING", st.get("state").asText());
        assertEquals("cli-ctr", st.get("metadata").get("name").asText());
        assertEquals(t.dir().resolve("logs-json").resolve("cli-ctr.log").toString(), st.get("logPath").asText());
        var truthStatus = rt.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(ctr).build()).getStatus();
        assertEquals(truthStatus.getImageRef(), st.get("imageRef").asText());
        assertEquals(truthStatus.getImageId().isEmpty() ? imageId : truthStatus.getImageId(), imageId);

        awaitLogs(ctr);
        assertEquals(LOG_TEXT, ctl.ok("logs", ctr).out());
        assertEquals("two\nthree\n", ctl.ok("logs", "--tail", "2", ctr).out());
        List<String> stamped = lines(ctl.ok("logs", "--timestamps", "--tail", "3", ctr).out());
        assertEquals(3, stamped.size(), stamped.toString());
        String[] words = {"one", "two", "three"};
        for (int i = 0; i < 3; i++) {
            assertTrue(stamped.get(i).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?(Z|[+-]\\d\\d:\\d\\d) " + words[i]),
                    "RFC3339Nano timestamp, a space, the line: " + stamped.get(i));
        }

        String statsOut = ctl.ok("stats").out();
        assertTrue(statsOut.startsWith("\u001b[2J\u001b[H"), "crictl clears the screen before the stats table");
        CrictlTable stats = CrictlTable.parse(statsOut.substring("\u001b[2J\u001b[H".length()), STATS_HEADERS);
        assertEquals(List.of(truncated(ctr)), stats.column("CONTAINER"));
        assertEquals(List.of("cli-ctr"), stats.column("NAME"));
        assertTrue(stats.rows().get(0).get("CPU %").matches("\\d+\\.\\d\\d"), stats.rows().toString());
        assertTrue(stats.rows().get(0).get("MEM").matches("[0-9.]+(B|kB|MB|GB)"), stats.rows().toString());
        JsonNode statsJson = json.readTree(ctl.ok("stats", "-o", "json").out());
        assertEquals(List.of("stats"), keys(statsJson));
        JsonNode s0 = statsJson.get("stats").get(0);
        assertEquals(ctr, s0.get("attributes").get("id").asText());
        for (String k : STATS_KEYS) {
            assertTrue(s0.has(k), "stats key " + k + " in " + keys(s0));
        }
        return ctr;
    }

    // ---- stop and remove, run, rmp -a -f ----

    private void teardown(String pod, String ctr, Path ctrJson, Path podJson) throws Exception {
        assertEquals(ctr + "\n", ctl.ok("stop", ctr).out());
        assertEquals(ContainerState.CONTAINER_EXITED, containerState(ctr));
        CrictlTable exited = CrictlTable.parse(ctl.ok("ps", "-a", "--state", "exited").out(), CrictlTable.goldenHeaders("ps"));
        assertEquals(List.of("Exited"), exited.column("STATE"));
        assertEquals(ctr + "\n", ctl.ok("rm", ctr).out());
        assertEquals(0, rt.listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());
        assertEquals("Stopped sandbox " + pod + "\n", ctl.ok("stopp", pod).out());
        CrictlTable notReady = CrictlTable.parse(ctl.ok("pods").out(), CrictlTable.goldenHeaders("pods"));
        assertEquals(List.of("NotReady"), notReady.column("STATE"));
        assertEquals("Removed sandbox " + pod + "\n", ctl.ok("rmp", pod).out());
        assertEquals(0, rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());

        // run: pod and container in one go, printing the container id
        Berthctl.Run run = ctl.ok("run", ctrJson.toString(), podJson.toString());
        String runCtr = singleId(run.out());
        assertEquals(ContainerState.CONTAINER_RUNNING, containerState(runCtr));
        List<PodSandbox> runPods = rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
        assertEquals(1, runPods.size());
        assertEquals("cli-json", runPods.get(0).getMetadata().getName());

        // rmp -a refuses running pods (plain lines, as urfave prints crictl's aggregate), -f stops them first
        Berthctl.Run refused = ctl.run("rmp", "-a");
        assertEquals(1, refused.code());
        assertEquals("pod sandbox \"" + runPods.get(0).getId() + "\" is running, please stop it first\n", refused.err());
        Berthctl.Run forced = ctl.ok("rmp", "-a", "-f");
        assertEquals("Stopped sandbox " + runPods.get(0).getId() + "\nRemoved sandbox " + runPods.get(0).getId() + "\n", forced.out());
        assertEquals(0, rt.listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsCount());
        assertEquals(0, rt.listContainers(ListContainersRequest.getDefaultInstance()).getContainersCount());

        // rmi by reference: crictl prints "Deleted: " and every tag of the image
        List<String> tags = img.imageStatus(ImageStatusRequest.newBuilder().setImage(spec(t.busyboxRef())).build())
                .getImage().getRepoTagsList();
        Berthctl.Run rmi = ctl.ok("rmi", t.busyboxRef());
        assertEquals(tags.stream().map(tag -> "Deleted: " + tag).collect(Collectors.toSet()), Set.copyOf(lines(rmi.out())));
        assertFalse(img.imageStatus(ImageStatusRequest.newBuilder().setImage(spec(t.busyboxRef())).build()).hasImage());
        assertFalse(ctl.ok("images", "-q").out().contains(t.busyboxRef()));
    }

    private void errors() {
        String missing = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        for (String[] cmd : List.of(new String[] {"inspectp", missing}, new String[] {"rmp", missing},
                new String[] {"inspect", missing}, new String[] {"logs", missing})) {
            Berthctl.Run r = ctl.run(cmd);
            assertEquals(1, r.code(), r.describe(List.of(cmd)));
            assertEquals("", r.out(), r.describe(List.of(cmd)));
            List<String> errLines = lines(r.err());
            assertEquals(1, errLines.size(), r.describe(List.of(cmd)));
            assertTrue(errLines.get(0).contains("rpc error: code = NotFound desc = "), r.describe(List.of(cmd)));
        }
        // StopPodSandbox must be idempotent (CRI: no error once the resources are gone): CRI-O and berthd answer
        // OK for an unknown id, containerd NotFound. berthctl reports whichever it gets, as crictl does.
        Berthctl.Run stopp = ctl.run("stopp", missing);
        if (stopp.code() == 0) {
            assertEquals("Stopped sandbox " + missing + "\n", stopp.out());
        } else {
            assertEquals(1, stopp.code());
            List<String> errLines = lines(stopp.err());
            assertEquals(1, errLines.size(), stopp.err());
            assertTrue(errLines.get(0).matches("time=\"[^\"]+\" level=fatal msg=\"stopping the pod sandbox \\\\\"" + missing
                    + "\\\\\": rpc error: code = NotFound desc = .*\""), stopp.err());
        }
    }

    // ---- helpers ----

    private ContainerState containerState(String id) {
        return rt.containerStatus(ContainerStatusRequest.newBuilder().setContainerId(id).build()).getStatus().getState();
    }

    /** The container prints three lines at start; poll (bounded) until the runtime has written them. */
    private void awaitLogs(String ctr) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (ctl.ok("logs", ctr).out().equals(LOG_TEXT)) {
                return;
            }
            Thread.sleep(200);
        }
    }

    private static ImageSpec spec(String ref) {
        return ImageSpec.newBuilder().setImage(ref).build();
    }

    private static long size(List<Image> images, String id) {
        return images.stream().filter(i -> i.getId().equals(id)).findFirst().orElseThrow().getSize();
    }

    /** crictl's getTruncatedID: without "sha256:", 13 characters. */
    static String truncated(String id) {
        String bare = id.startsWith("sha256:") ? id.substring(7) : id;
        return bare.length() > 13 ? bare.substring(0, 13) : bare;
    }

    private static String singleId(String out) {
        List<String> l = lines(out);
        assertEquals(1, l.size(), out);
        assertTrue(l.get(0).matches("[0-9a-f]{64}"), out);
        return l.get(0);
    }

    static List<String> lines(String out) {
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static Set<String> keySet(JsonNode n) {
        return new TreeSet<>(keys(n));
    }

    /** crictl prints inspect output as a Go map through encoding/json: keys sorted. */
    private static void assertSorted(JsonNode n) {
        List<String> k = keys(n);
        assertEquals(sorted(k), k, "sorted keys");
    }
}

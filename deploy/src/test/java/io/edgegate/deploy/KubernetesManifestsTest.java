package io.edgegate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.testkit.ProjectRoot;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kubernetes as Kubernetes would take it: every object read strictly into the real API
 * models, then what the API server does not check but a cluster needs — selectors that select,
 * ports, probes and policies that name ports the pods have, Secrets (as secrets.sh makes them)
 * that hold every file the pods are told to read, and flags the programs take.
 */
class KubernetesManifestsTest {

    private static final String NAMESPACE = "edgegate";
    private static final Path MANIFESTS = ProjectRoot.find().resolve("deploy/kubernetes");

    private static List<HasMetadata> objects;
    private static Map<String, Secret> secrets;

    @BeforeAll
    static void readManifestsAndMakeSecrets(@TempDir Path dir) throws Exception {
        StrictManifests reader = new StrictManifests();
        objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(MANIFESTS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                objects.addAll(reader.read(file));
            }
        }
        Path secretsYaml = dir.resolve("secrets.yaml");
        Process process = new ProcessBuilder(MANIFESTS.resolve("secrets.sh").toString(), "--dir", dir.resolve("pki").toString(),
                "--nodes", String.valueOf(dataPlaneReplicas()))
                .redirectOutput(secretsYaml.toFile()).redirectError(dir.resolve("secrets.err").toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(dir.resolve("secrets.err"))).isZero();
        secrets = new HashMap<>();
        for (HasMetadata object : reader.read(secretsYaml)) {
            secrets.put(object.getMetadata().getName(), (Secret) object);
        }
        assertThat(Files.readString(dir.resolve("pki/admin.token"))).matches("egt_[a-z0-9-]+\\.[A-Za-z0-9_-]{43}\\n");
    }

    private static int dataPlaneReplicas() {
        return objects.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                .filter(s -> s.getMetadata().getName().equals("edgegate-data-plane")).findFirst().orElseThrow().getSpec().getReplicas();
    }

    @Test
    void everyPartIsThereOnce() {
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).doesNotHaveDuplicates()
                .contains("Namespace/edgegate", "StatefulSet/edgegate-etcd", "Deployment/edgegate-control-plane",
                        "StatefulSet/edgegate-data-plane", "PodDisruptionBudget/edgegate-control-plane",
                        "PodDisruptionBudget/edgegate-data-plane", "NetworkPolicy/edgegate-control-plane", "NetworkPolicy/edgegate-etcd");
        assertThat(workloads().get("Deployment/edgegate-control-plane").replicas()).isEqualTo(2);
        for (HasMetadata object : objects) {
            if (!object.getKind().equals("Namespace")) {
                assertThat(object.getMetadata().getNamespace()).as(object.getKind() + " " + object.getMetadata().getName()).isEqualTo(NAMESPACE);
            }
        }
    }

    @Test
    void aMisspelledFieldIsAnError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(file, Files.readString(MANIFESTS.resolve("control-plane.yaml")).replace("  replicas: 2", "  replica: 2"));
        assertThatThrownBy(() -> new StrictManifests().read(file)).hasMessageContaining("\"replica\"");
        Files.writeString(file, Files.readString(MANIFESTS.resolve("data-plane.yaml")).replace("readOnlyRootFilesystem", "readOnlyRootFileSystem"));
        assertThatThrownBy(() -> new StrictManifests().read(file)).hasMessageContaining("\"readOnlyRootFileSystem\"");
    }

    @Test
    void workloadSelectorsSelectTheirOwnPods() {
        for (Workload workload : workloads().values()) {
            assertThat(selects(workload.selector(), workload.labels())).as(workload.name()).isTrue();
        }
    }

    @Test
    void servicesSelectPodsThatHaveTheirTargetPorts() {
        for (Service service : all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            List<Workload> selected = workloads().values().stream().filter(w -> selects(selector, w.labels())).toList();
            assertThat(selected).as("pods of Service " + service.getMetadata().getName()).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                for (Workload workload : selected) {
                    assertThat(hasPort(workload.pod(), port.getTargetPort()))
                            .as("Service %s port %s on %s", service.getMetadata().getName(), port.getName(), workload.name()).isTrue();
                }
            }
        }
        for (StatefulSet set : all(StatefulSet.class)) {
            Service governing = all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(set.getSpec().getServiceName()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Service " + set.getSpec().getServiceName()));
            assertThat(governing.getSpec().getClusterIP()).as("headless " + governing.getMetadata().getName()).isEqualTo("None");
            assertThat(selects(governing.getSpec().getSelector(), set.getSpec().getTemplate().getMetadata().getLabels())).isTrue();
        }
    }

    @Test
    void probesAndPrometheusAnnotationsNameTheContainersPorts() {
        for (Workload workload : workloads().values()) {
            for (Container container : workload.pod().getContainers()) {
                for (Probe probe : Stream.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe())
                        .filter(Objects::nonNull).toList()) {
                    IntOrString port = probe.getHttpGet() != null ? probe.getHttpGet().getPort() : probe.getTcpSocket().getPort();
                    assertThat(hasPort(workload.pod(), port)).as(workload.name() + " probe port " + port).isTrue();
                }
                assertThat(container.getReadinessProbe()).as(workload.name() + " readiness").isNotNull();
            }
            String scrapePort = workload.annotations().get("prometheus.io/port");
            if (scrapePort != null) {
                assertThat(hasPort(workload.pod(), new IntOrString(Integer.parseInt(scrapePort)))).as(workload.name() + " scrape port").isTrue();
            }
        }
        // Ready only once a config is applied: the data plane's /healthz says so.
        assertThat(workloads().get("StatefulSet/edgegate-data-plane").pod().getContainers().get(0).getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/healthz");
    }

    @Test
    void budgetsAndPoliciesSelectPodsAndPortsThatExist() {
        for (PodDisruptionBudget budget : all(PodDisruptionBudget.class)) {
            assertThat(workloads().values()).as("PDB " + budget.getMetadata().getName())
                    .anyMatch(w -> selects(budget.getSpec().getSelector(), w.labels()));
        }
        for (NetworkPolicy policy : all(NetworkPolicy.class)) {
            List<Workload> guarded = workloads().values().stream().filter(w -> selects(policy.getSpec().getPodSelector(), w.labels())).toList();
            assertThat(guarded).as("pods of NetworkPolicy " + policy.getMetadata().getName()).isNotEmpty();
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                for (NetworkPolicyPort port : rule.getPorts()) {
                    guarded.forEach(w -> assertThat(hasPort(w.pod(), port.getPort())).as(policy.getMetadata().getName() + " port " + port.getPort()).isTrue());
                }
                for (NetworkPolicyPeer peer : rule.getFrom()) {
                    if (peer.getPodSelector() != null && !peer.getPodSelector().getMatchLabels().containsKey("edgegate.io/egctl")) {
                        assertThat(workloads().values()).as(policy.getMetadata().getName() + " from " + peer.getPodSelector().getMatchLabels())
                                .anyMatch(w -> selects(peer.getPodSelector(), w.labels()));
                    }
                }
            }
        }
        // The control plane's gRPC port takes the data planes.
        NetworkPolicy controlPlane = all(NetworkPolicy.class).stream().filter(p -> p.getMetadata().getName().equals("edgegate-control-plane")).findFirst().orElseThrow();
        assertThat(controlPlane.getSpec().getIngress()).anyMatch(rule -> rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == 2381)
                && rule.getFrom().stream().anyMatch(peer -> peer.getPodSelector() != null
                && selects(peer.getPodSelector(), workloads().get("StatefulSet/edgegate-data-plane").labels())));
    }

    @Test
    void everyFileAPodIsToldToReadIsInTheSecretMountedThere() {
        for (Workload workload : workloads().values()) {
            Map<String, String> secretAt = new HashMap<>();
            for (Volume volume : workload.pod().getVolumes()) {
                if (volume.getSecret() != null) {
                    assertThat(secrets).as(workload.name() + " mounts Secret " + volume.getSecret().getSecretName())
                            .containsKey(volume.getSecret().getSecretName());
                    secretAt.put(volume.getName(), volume.getSecret().getSecretName());
                }
            }
            for (Container container : workload.pod().getContainers()) {
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(workload.name() + " read-only root").isTrue();
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(workload.pod().getSecurityContext().getRunAsNonRoot()).as(workload.name() + " non-root").isTrue();
                for (VolumeMount mount : container.getVolumeMounts()) {
                    assertThat(workload.volumeNames()).as(workload.name()).contains(mount.getName());
                }
                for (String podName : workload.podNames()) {
                    for (String argument : arguments(container, podName)) {
                        int at = argument.indexOf("=/");
                        if (at < 0) {
                            continue;
                        }
                        Path path = Path.of(argument.substring(at + 1));
                        for (VolumeMount mount : container.getVolumeMounts()) {
                            String secret = secretAt.get(mount.getName());
                            if (secret != null && path.startsWith(mount.getMountPath())) {
                                assertThat(secrets.get(secret).getData()).as("%s of %s in Secret %s", argument, podName, secret)
                                        .containsKey(Path.of(mount.getMountPath()).relativize(path).toString());
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theProgramsTakeEveryFlagTheyAreGiven() {
        Map<String, Set<String>> known = Map.of(
                "/opt/edgegate/bin/control-plane", ProgramFlags.of(ProjectRoot.bin("control-plane").toString(), "--help"),
                "/opt/edgegate/bin/data-plane", ProgramFlags.of(ProjectRoot.bin("data-plane").toString(), "--help"),
                "etcd", ProgramFlags.of("etcd", "--help"));
        for (Workload workload : workloads().values()) {
            for (Container container : workload.pod().getContainers()) {
                String program = container.getCommand().get(0);
                assertThat(known).as(workload.name() + " runs a program we know").containsKey(program);
                for (String argument : container.getCommand().subList(1, container.getCommand().size())) {
                    assertThat(known.get(program)).as(workload.name()).contains(ProgramFlags.name(argument));
                }
                for (String argument : container.getArgs() == null ? List.<String>of() : container.getArgs()) {
                    assertThat(known.get(program)).as(workload.name()).contains(ProgramFlags.name(argument));
                }
                // $(VAR) in a command or its arguments is expanded by Kubernetes only when the container defines VAR.
                List<String> defined = container.getEnv() == null ? List.of() : container.getEnv().stream().map(EnvVar::getName).toList();
                for (String argument : arguments(container, "$(POD_NAME)")) {
                    var variable = java.util.regex.Pattern.compile("\\$\\((\\w+)\\)").matcher(argument);
                    while (variable.find()) {
                        assertThat(defined).as(workload.name() + " " + argument).contains(variable.group(1));
                    }
                }
            }
        }
    }

    private record Workload(String name, int replicas, LabelSelector selector, Map<String, String> labels,
                            Map<String, String> annotations, PodSpec pod, List<String> podNames, List<String> volumeNames) {
    }

    private static Map<String, Workload> workloads() {
        Map<String, Workload> out = new HashMap<>();
        for (Deployment d : all(Deployment.class)) {
            var template = d.getSpec().getTemplate();
            out.put("Deployment/" + d.getMetadata().getName(), new Workload(d.getMetadata().getName(), d.getSpec().getReplicas(),
                    d.getSpec().getSelector(), template.getMetadata().getLabels(), annotations(template.getMetadata()), template.getSpec(),
                    List.of(d.getMetadata().getName() + "-pod"), volumeNames(template.getSpec(), List.of())));
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            var template = s.getSpec().getTemplate();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < s.getSpec().getReplicas(); i++) {
                names.add(s.getMetadata().getName() + "-" + i);
            }
            out.put("StatefulSet/" + s.getMetadata().getName(), new Workload(s.getMetadata().getName(), s.getSpec().getReplicas(),
                    s.getSpec().getSelector(), template.getMetadata().getLabels(), annotations(template.getMetadata()), template.getSpec(), names,
                    volumeNames(template.getSpec(), s.getSpec().getVolumeClaimTemplates())));
        }
        return out;
    }

    /** The pod's volumes and, for a StatefulSet, the volumes its claim templates make per pod. */
    private static List<String> volumeNames(PodSpec pod, List<io.fabric8.kubernetes.api.model.PersistentVolumeClaim> claims) {
        List<String> names = new ArrayList<>(pod.getVolumes().stream().map(Volume::getName).toList());
        claims.forEach(claim -> names.add(claim.getMetadata().getName()));
        return names;
    }

    private static Map<String, String> annotations(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
        return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    /** The container's command and arguments with $(POD_NAME) as Kubernetes expands it for {@code podName}. */
    private static List<String> arguments(Container container, String podName) {
        List<String> all = new ArrayList<>(container.getCommand());
        if (container.getArgs() != null) {
            all.addAll(container.getArgs());
        }
        return all.stream().map(a -> a.replace("$(POD_NAME)", podName)).toList();
    }

    private static boolean hasPort(PodSpec pod, IntOrString port) {
        return pod.getContainers().stream().flatMap(c -> c.getPorts().stream()).anyMatch(p -> matches(p, port));
    }

    private static boolean matches(ContainerPort containerPort, IntOrString port) {
        return port.getStrVal() != null ? port.getStrVal().equals(containerPort.getName())
                : port.getIntVal().equals(containerPort.getContainerPort());
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).as("selectors here use matchLabels only").isNullOrEmpty();
        return selects(selector.getMatchLabels(), labels);
    }

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    private static <T> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}

package io.edgegate.controlplane;

import static io.edgegate.controlplane.RunningControlPlane.documents;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.edgegate.api.v1.ListRequest;
import io.edgegate.controlplane.etcd.EtcdAccess;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.controlplane.store.EtcdStore;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.TlsFiles;
import io.edgegate.testkit.EtcdProcess;
import io.edgegate.testkit.FreePorts;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane's link to etcd over TLS with client certificates and with etcd's users: it
 * works when everything matches, and a start with a wrong password, an unknown CA or a
 * certificate for another host fails naming the check that failed. Real etcd processes.
 */
class EtcdSecurityTest {

    @TempDir
    Path dir;

    @Test
    void overTlsWithAClientCertificateTheControlPlaneWorksAndEtcdRefusesClientsWithoutOne() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        TlsFiles server = pki.issueServer("etcd-server", List.of("127.0.0.1"));
        TlsFiles client = pki.issueClient("etcd-client");
        try (EtcdProcess etcd = EtcdProcess.startTls(server.certificate().get(), server.key().get(), pki.caCertificate())) {
            EtcdAccess access = new EtcdAccess(Optional.of(pki.caCertificate()), client.certificate(), client.key(),
                    Optional.empty(), Optional.empty());
            try (ControlPlane controlPlane = start(etcd, access);
                 Replica replica = Replica.attach(controlPlane, null)) {
                replica.objects().apply(documents(TestObjects.pipeline("over-tls")));
                assertThat(replica.objects().list(ListRequest.getDefaultInstance()).getObjectsCount()).isEqualTo(1);
            }

            EtcdAccess withoutCertificate = new EtcdAccess(Optional.of(pki.caCertificate()), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            try (Client anonymous = EtcdStore.connect(List.of(etcd.endpoint()), withoutCertificate)) {
                assertThatThrownBy(() -> anonymous.getKVClient().get(ByteSequence.from("k", UTF_8)).get(10, TimeUnit.SECONDS))
                        .as("etcd refuses a client without a certificate").isInstanceOf(ExecutionException.class);
            }
            assertThatThrownBy(() -> start(etcd, withoutCertificate).close())
                    .isInstanceOf(IOException.class).hasMessageContaining("etcd");
        }
    }

    @Test
    void aCaThatDidNotSignEtcdsCertificateOrACertificateForAnotherHostFailsTheStart() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        TlsFiles wrongHost = pki.issueServer("etcd-elsewhere", List.of("etcd.example.com"));
        TlsFiles client = pki.issueClient("etcd-client");
        PkiDirectory stranger = new PkiDirectory(dir.resolve("other"));
        stranger.authority();
        try (EtcdProcess etcd = EtcdProcess.startTls(wrongHost.certificate().get(), wrongHost.key().get(), pki.caCertificate())) {
            EtcdAccess sanMismatch = new EtcdAccess(Optional.of(pki.caCertificate()), client.certificate(), client.key(),
                    Optional.empty(), Optional.empty());
            assertThatThrownBy(() -> start(etcd, sanMismatch).close())
                    .isInstanceOf(IOException.class).hasMessageContaining("SAN mismatch");

            EtcdAccess unknownCa = new EtcdAccess(Optional.of(stranger.caCertificate()), client.certificate(), client.key(),
                    Optional.empty(), Optional.empty());
            assertThatThrownBy(() -> start(etcd, unknownCa).close())
                    .isInstanceOf(IOException.class).hasMessageContaining("unknown CA");
        }
    }

    @Test
    void withEtcdAuthAWrongPasswordFailsTheStartNamingEtcdAuthentication() throws Exception {
        try (EtcdProcess etcd = EtcdProcess.start()) {
            try (Client admin = Client.builder().endpoints(etcd.endpoint()).build()) {
                ByteSequence root = ByteSequence.from("root", UTF_8);
                admin.getAuthClient().userAdd(root, ByteSequence.from("right-password", UTF_8)).get(10, TimeUnit.SECONDS);
                admin.getAuthClient().roleAdd(root).get(10, TimeUnit.SECONDS);
                admin.getAuthClient().userGrantRole(root, root).get(10, TimeUnit.SECONDS);
                admin.getAuthClient().roleGrantPermission(root, ByteSequence.from(new byte[] {0}), ByteSequence.from(new byte[] {0}),
                        Permission.Type.READWRITE).get(10, TimeUnit.SECONDS);
                admin.getAuthClient().authEnable().get(10, TimeUnit.SECONDS);
            }
            Path wrong = Files.writeString(dir.resolve("wrong"), "guess\n");
            Path right = Files.writeString(dir.resolve("right"), "right-password\n");

            assertThatThrownBy(() -> start(etcd, new EtcdAccess(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("root"), Optional.of(wrong))).close())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("etcd authentication failed for user 'root'");

            try (ControlPlane controlPlane = start(etcd, new EtcdAccess(Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of("root"), Optional.of(right)));
                 Replica replica = Replica.attach(controlPlane, null)) {
                replica.objects().apply(documents(TestObjects.pipeline("with-auth")));
                assertThat(replica.objects().list(ListRequest.getDefaultInstance()).getObjectsCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void aSecureControlPlaneWithoutEndpointsRunsItsOwnEtcdOverTls() throws Exception {
        PkiDirectory pki = new PkiDirectory(dir.resolve("pki"));
        int port = FreePorts.pick();
        ControlPlaneConfig config = new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", port), List.of(), dir.resolve("data"), "etcd",
                Duration.ofSeconds(5), ControlPlaneSecurity.tls(pki.issueServer("control-plane", List.of("127.0.0.1")),
                dir.resolve("admin.token")), EtcdAccess.none());
        try (ControlPlane controlPlane = ControlPlane.start(config)) {
            controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
            int etcdPort = Integer.parseInt(Files.readString(dir.resolve("data/etcd/ports")).trim().split(",")[0]);
            assertThat(Files.readString(dir.resolve("admin.token"))).startsWith("egt_");
            PkiDirectory link = new PkiDirectory(dir.resolve("data/etcd/pki"));
            EtcdAccess noCertificate = new EtcdAccess(Optional.of(link.caCertificate()), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty());
            try (Client anonymous = EtcdStore.connect(List.of("https://127.0.0.1:" + etcdPort), noCertificate)) {
                assertThatThrownBy(() -> anonymous.getKVClient().get(ByteSequence.from("k", UTF_8)).get(10, TimeUnit.SECONDS))
                        .as("the managed etcd refuses a client without a certificate").isInstanceOf(ExecutionException.class);
            }
        }
    }

    private static ControlPlane start(EtcdProcess etcd, EtcdAccess access) throws Exception {
        ControlPlaneConfig config = new ControlPlaneConfig(new InetSocketAddress("127.0.0.1", FreePorts.pick()), List.of(etcd.endpoint()),
                Path.of("unused"), "etcd", Duration.ofSeconds(3), ControlPlaneSecurity.disabled(), access);
        ControlPlane controlPlane = ControlPlane.start(config);
        controlPlane.cache().ready().get(20, TimeUnit.SECONDS);
        return controlPlane;
    }
}

package io.edgegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.edgegate.api.v1.ClusterServiceGrpc;
import io.edgegate.api.v1.ConfigDiscoveryGrpc;
import io.edgegate.api.v1.ConfigUpdate;
import io.edgegate.api.v1.CreateTokenRequest;
import io.edgegate.api.v1.GetRequest;
import io.edgegate.api.v1.ListMembersRequest;
import io.edgegate.api.v1.ListRequest;
import io.edgegate.api.v1.ObjectKey;
import io.edgegate.api.v1.ObjectServiceGrpc;
import io.edgegate.api.v1.RevokeTokenRequest;
import io.edgegate.api.v1.TokenServiceGrpc;
import io.edgegate.api.v1.WhoAmIRequest;
import io.edgegate.controlplane.security.ControlPlaneSecurity;
import io.edgegate.security.CertificateAuthority;
import io.edgegate.security.ControlChannelTls;
import io.edgegate.security.Pem;
import io.edgegate.security.PkiDirectory;
import io.edgegate.security.ReloadingTls;
import io.edgegate.security.TlsFileException;
import io.edgegate.security.TlsFiles;
import io.edgegate.security.TlsProvider;
import io.edgegate.testkit.FreePorts;
import io.edgegate.testkit.TestPki;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.netty.handler.ssl.SslProvider;
import io.netty.pkitesting.X509Bundle;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The control plane's port as an attacker and as each role meets it: real TLS with certificates
 * from the cluster PKI tool, tokens, node identities and secrets (in-memory store).
 */
class SecureControlPlaneTest {

    @TempDir
    static Path dir;

    private static PkiDirectory pki;
    private static ControlPlane controlPlane;
    private static int port;
    private static Path tokenFile;
    private static String adminToken;
    private static final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        pki = new PkiDirectory(dir.resolve("pki"));
        TlsFiles server = pki.issueServer("control-plane", List.of("127.0.0.1", "localhost"));
        tokenFile = dir.resolve("state/admin.token");
        port = FreePorts.pick();
        controlPlane = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", port), ControlPlaneSecurity.tls(server, tokenFile));
        controlPlane.cache().ready().get(10, TimeUnit.SECONDS);
        adminToken = Files.readString(tokenFile).strip();
    }

    @AfterAll
    static void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        controlPlane.close();
    }

    @Test
    void theFirstAdminTokenIsWrittenToAFileOnlyItsOwnerCanRead() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(adminToken).startsWith("egt_bootstrap-admin.");
        assertThat(tokens(adminToken).whoAmI(WhoAmIRequest.getDefaultInstance()).getRole()).isEqualTo("admin");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.caKey()))).isEqualTo("rw-------");
    }

    @Test
    void aPlaintextClientDoesNotGetIn() {
        ManagedChannel plaintext = track(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        assertThatThrownBy(() -> ObjectServiceGrpc.newBlockingStub(plaintext).withDeadlineAfter(5, TimeUnit.SECONDS)
                .list(ListRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void aClientThatTrustsAnotherCaRefusesTheControlPlane() {
        PkiDirectory other = new PkiDirectory(dir.resolve("other-ca"));
        assertThatThrownBy(() -> {
            other.authority();
            objects(tls(TlsFiles.trustOnly(other.caCertificate())), adminToken).list(ListRequest.getDefaultInstance());
        }).isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(io.edgegate.async.Causes.chain(e)).contains("PKIX path"));
    }

    @Test
    void aCallWithoutTokenIsUnauthenticatedAndSaysHowToGetOne() {
        assertThatThrownBy(() -> objects(tls(TlsFiles.trustOnly(pki.caCertificate())), null).list(ListRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("no token").contains("egctl token create");
                });
        assertThatThrownBy(() -> objects(tls(TlsFiles.trustOnly(pki.caCertificate())), "egt_bootstrap-admin.wrong")
                .list(ListRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void eachRoleMayDoItsOwnAndNoMore() {
        String viewer = create("viewer-a", "viewer");
        String operator = create("operator-a", "operator");

        assertThat(objects(viewer).list(ListRequest.getDefaultInstance()).getObjectsCount()).isGreaterThanOrEqualTo(0);
        assertThat(cluster(viewer).listMembers(ListMembersRequest.getDefaultInstance()).getInsecure()).isFalse();
        assertThatThrownBy(() -> objects(viewer).apply(RunningControlPlane.documents(TestObjects.pipeline("p-viewer"))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).startsWith("role viewer cannot apply");
                });

        assertThat(objects(operator).apply(RunningControlPlane.documents(TestObjects.pipeline("p-operator"))).getResultsCount())
                .isEqualTo(1);
        assertThatThrownBy(() -> tokens(operator).create(CreateTokenRequest.newBuilder().setName("x").setRole("admin").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).startsWith("role operator cannot create tokens");
                });
    }

    @Test
    void aRevokedTokenStopsWorkingWithinASecond() {
        String token = create("short-lived", "viewer");
        objects(token).list(ListRequest.getDefaultInstance());
        tokens(adminToken).revoke(RevokeTokenRequest.newBuilder().setName("short-lived").build());
        await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThatThrownBy(() -> objects(token).list(ListRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED)));
    }

    @Test
    void aWatchEndsWhenItsTokenIsRevoked() throws Exception {
        String token = create("watching", "viewer");
        java.util.concurrent.CompletableFuture<Status> ended = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
        ClusterServiceGrpc.newStub(withToken(tls(TlsFiles.trustOnly(pki.caCertificate())), token))
                .watch(io.edgegate.api.v1.WatchRequest.getDefaultInstance(), new io.grpc.stub.StreamObserver<>() {
                    @Override
                    public void onNext(io.edgegate.api.v1.ClusterEvent event) {
                        watching.countDown();
                    }

                    @Override
                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
        // The watch serves: once it is set up, a change reaches it.
        java.util.concurrent.atomic.AtomicInteger changes = new java.util.concurrent.atomic.AtomicInteger();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            objects(adminToken).apply(RunningControlPlane.documents(TestObjects.pipeline("seen-by-watch-" + changes.incrementAndGet())));
            return watching.await(200, TimeUnit.MILLISECONDS);
        });

        tokens(adminToken).revoke(RevokeTokenRequest.newBuilder().setName("watching").build());

        Status status = ended.get(5, TimeUnit.SECONDS);
        assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(status.getDescription()).contains("revoked or expired");
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = tokens(adminToken).create(CreateTokenRequest.newBuilder().setName("brief").setRole("viewer").setTtlMillis(300).build())
                .getToken();
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThatThrownBy(() -> objects(token).list(ListRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED)));
    }

    @Test
    void aNodeMaySpeakOnlyForTheNodeItsCertificateNames() throws Exception {
        TlsFiles node2 = pki.issueNode("edgegate.local", "node-2");
        ConfigDiscoveryGrpc.ConfigDiscoveryStub asNode2 = ConfigDiscoveryGrpc.newStub(tls(node2));

        TestNode impostor = TestNode.connect(asNode2, "node-1");
        assertThat(impostor.error()).satisfies(status -> {
            assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(status.getDescription()).contains("names node node-2, not node-1");
        });
        assertThat(cluster(adminToken).listMembers(ListMembersRequest.getDefaultInstance()).getMembersList())
                .noneMatch(m -> m.getNodeId().equals("node-1"));

        TestNode honest = TestNode.connect(asNode2, "node-2");
        ConfigUpdate snapshot = honest.next();
        assertThat(snapshot.getFullSnapshot()).isTrue();
        await().untilAsserted(() -> assertThat(cluster(adminToken).listMembers(ListMembersRequest.getDefaultInstance()).getMembersList())
                .anyMatch(m -> m.getNodeId().equals("node-2")));
    }

    @Test
    void aStreamWithoutANodeCertificateOrWithOneOfAnotherCaIsRefused() throws Exception {
        TestNode anonymous = TestNode.connect(ConfigDiscoveryGrpc.newStub(tls(TlsFiles.trustOnly(pki.caCertificate()))), "node-9");
        assertThat(anonymous.error().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

        PkiDirectory other = new PkiDirectory(dir.resolve("rogue-ca"));
        TlsFiles rogue = other.issueNode("edgegate.local", "node-9");
        // Trusts our CA (so it gets as far as the handshake) but presents a certificate of another CA.
        TlsFiles rogueWithOurTrust = TlsFiles.of(rogue.certificate().get(), rogue.key().get(), pki.caCertificate());
        TestNode stranger = TestNode.connect(ConfigDiscoveryGrpc.newStub(tls(rogueWithOurTrust)), "node-9");
        assertThat(stranger.error().getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.UNAUTHENTICATED);
        assertThat(cluster(adminToken).listMembers(ListMembersRequest.getDefaultInstance()).getMembersList())
                .noneMatch(m -> m.getNodeId().equals("node-9"));
    }

    /** OpenSSL and the JDK on either side: the server reads the node's certificate, the client checks the server's name. */
    @ParameterizedTest(name = "control plane {0}, node {1}")
    @CsvSource({"OPENSSL, OPENSSL", "OPENSSL, JDK", "JDK, OPENSSL", "JDK, JDK"})
    void eitherTlsImplementationOnEitherSideKnowsANodeByItsCertificate(TlsProvider server, TlsProvider client) throws Exception {
        int ownPort = FreePorts.pick();
        TlsFiles serverFiles = pki.issueServer("control-plane-" + server, List.of("127.0.0.1"));
        ControlPlaneSecurity security = ControlPlaneSecurity.tls(serverFiles, dir.resolve("tls-" + server + "-" + client + ".token"))
                .withTlsProvider(server);
        try (ControlPlane own = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", ownPort), security)) {
            own.cache().ready().get(10, TimeUnit.SECONDS);
            ReloadingTls node3 = new ReloadingTls(pki.issueNode("edgegate.local", "node-3"), Clock.systemUTC());
            ConfigDiscoveryGrpc.ConfigDiscoveryStub asNode3 = ConfigDiscoveryGrpc.newStub(track(NettyChannelBuilder
                    .forAddress("127.0.0.1", ownPort).sslContext(ControlChannelTls.client(node3, client.netty())).build()));

            assertThat(TestNode.connect(asNode3, "node-1").error()).satisfies(status -> {
                assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                assertThat(status.getDescription()).contains("names node node-3, not node-1");
            });
            assertThat(TestNode.connect(asNode3, "node-3").next().getFullSnapshot()).isTrue();

            ConfigDiscoveryGrpc.ConfigDiscoveryStub expectingAnotherName = ConfigDiscoveryGrpc.newStub(track(NettyChannelBuilder
                    .forAddress("127.0.0.1", ownPort).overrideAuthority("elsewhere.example")
                    .sslContext(ControlChannelTls.client(node3, client.netty())).build()));
            assertThat(TestNode.connect(expectingAnotherName, "node-3").error().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    /** A node whose CA leaves the control plane's bundle is cut off at the reload, not when its stream next reconnects. */
    @Test
    void aNodeWhoseCaLeavesTheBundleIsCutOff() throws Exception {
        PkiDirectory rotating = new PkiDirectory(dir.resolve("rotating-ca"));
        TlsFiles serverFiles = rotating.issueServer("control-plane", List.of("127.0.0.1"));
        int ownPort = FreePorts.pick();
        try (ControlPlane own = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", ownPort),
                ControlPlaneSecurity.tls(serverFiles, dir.resolve("rotating.token")))) {
            own.cache().ready().get(10, TimeUnit.SECONDS);
            ReloadingTls node5 = new ReloadingTls(rotating.issueNode("edgegate.local", "node-5"), Clock.systemUTC());
            ConfigDiscoveryGrpc.ConfigDiscoveryStub asNode5 = ConfigDiscoveryGrpc.newStub(track(NettyChannelBuilder.forAddress("127.0.0.1", ownPort)
                    .sslContext(ControlChannelTls.client(node5, SslProvider.JDK)).build()));
            TestNode connected = TestNode.connect(asNode5, "node-5");
            assertThat(connected.next().getFullSnapshot()).isTrue();

            PkiDirectory replacement = new PkiDirectory(dir.resolve("replacement-ca"));
            replacement.authority();
            Files.copy(replacement.caCertificate(), serverFiles.ca(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

            Status ended = connected.error();
            assertThat(ended.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(ended.getDescription()).contains("no longer signed by a CA the control plane trusts");
            // Its connection, made under the old CA, is still there: a new stream on it is refused as well.
            Status again = TestNode.connect(asNode5, "node-5").error();
            assertThat(again.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(again.getDescription()).contains("no longer signed by a CA the control plane trusts");
        }
    }

    /** Renewed files take effect without a restart whichever implementation serves the port: the next handshake gets them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"OPENSSL", "JDK"})
    void aRenewedCertificateServesTheNextConnection(TlsProvider provider) throws Exception {
        int ownPort = FreePorts.pick();
        String name = "renewed-" + provider;
        TlsFiles serverFiles = pki.issueServer(name, List.of("127.0.0.1"));
        ControlPlaneSecurity security = ControlPlaneSecurity.tls(serverFiles, dir.resolve(name + ".token")).withTlsProvider(provider);
        try (ControlPlane own = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", ownPort), security)) {
            String before = servedSerial(ownPort);
            assertThat(before).isEqualTo(serial(serverFiles));

            pki.issueServer(name, List.of("127.0.0.1"));
            String renewed = serial(serverFiles);
            assertThat(renewed).isNotEqualTo(before);
            await().atMost(Duration.ofSeconds(10)).until(() -> servedSerial(ownPort).equals(renewed));
        }
    }

    /** The serial of the certificate the control plane on {@code port} presents to a client that trusts the cluster CA. */
    private static String servedSerial(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new ReloadingTls(TlsFiles.trustOnly(pki.caCertificate()), Clock.systemUTC()).trustManager()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber().toString(16);
        }
    }

    private static String serial(TlsFiles files) {
        return Pem.readCertificates(files.certificate().orElseThrow()).get(0).getSerialNumber().toString(16);
    }

    @Test
    void secretsAreRedactedExceptForAnAdminWhoAsksAndSurviveARoundTrip() throws Exception {
        X509Bundle certificate = TestPki.create("site").server("site.example");
        String key = TestPki.base64(certificate.getPrivateKeyPEM());
        String document = """
                kind: HTTPServer
                name: secure-site
                port: 18443
                https: true
                certBase64: %s
                keyBase64: %s
                rules: []
                """.formatted(TestPki.base64(certificate.getCertificatePEM()), key);
        String operator = create("operator-s", "operator");
        objects(operator).apply(RunningControlPlane.documents(document));

        String shown = objects(operator).get(get("HTTPServer", "secure-site", false)).getObject().getJson();
        assertThat(shown).doesNotContain(key).containsPattern("\"keyBase64\":\"<redacted, sha256:[0-9a-f]{16}>\"");
        assertThat(objects(operator).list(ListRequest.newBuilder().setKind("HTTPServer").build()).getObjects(0).getJson())
                .doesNotContain(key);
        assertThat(cluster(operator).describe(get("HTTPServer", "secure-site", false)).getObject().getJson()).doesNotContain(key);
        assertThatThrownBy(() -> objects(operator).get(get("HTTPServer", "secure-site", true)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).contains("role operator cannot show secrets");
                });
        assertThat(objects(adminToken).get(get("HTTPServer", "secure-site", true)).getObject().getJson()).contains(key);

        // get | edit | apply: the marker stands for the stored key, which is kept.
        String edited = shown.replace("18443", "18444");
        objects(operator).apply(RunningControlPlane.documents(edited));
        String stored = objects(adminToken).get(get("HTTPServer", "secure-site", true)).getObject().getJson();
        assertThat(stored).contains(key).contains("18444");

        String forged = shown.replaceAll("sha256:[0-9a-f]{16}", "sha256:0000000000000000");
        assertThatThrownBy(() -> objects(operator).apply(RunningControlPlane.documents(forged)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).contains("keyBase64").contains("matches no stored secret");
                });
    }

    @Test
    void customDataPasswordsAndListedFieldsAreSecretWhateverTheirTypeAndSurviveARoundTrip() {
        String operator = create("operator-c", "operator");
        objects(operator).apply(RunningControlPlane.documents("""
                kind: CustomData
                name: users
                secretFields: [apiKey, pin]
                records:
                - {username: alice, password: hunter2-hash, apiKey: k-123456, pin: 471147, team: blue}
                - {username: bob, password: other-hash, pin: true, team: red}
                """));
        String shown = objects(operator).get(get("CustomData", "users", false)).getObject().getJson();
        assertThat(shown).doesNotContain("hunter2-hash").doesNotContain("k-123456").doesNotContain("471147")
                .doesNotContain("true").contains("alice").contains("blue");

        // Records reordered in the edit: each marker still finds its own secret, numbers stay numbers.
        String reordered = shown.replaceAll("(?s)\\[(\\{.*?\\}),(\\{.*?\\})\\]", "[$2,$1]");
        assertThat(reordered).isNotEqualTo(shown);
        objects(operator).apply(RunningControlPlane.documents(reordered));
        String stored = objects(adminToken).get(get("CustomData", "users", true)).getObject().getJson();
        assertThat(stored).contains("\"pin\":471147").contains("\"pin\":true").contains("hunter2-hash").contains("k-123456");
        assertThat(stored.indexOf("bob")).isLessThan(stored.indexOf("alice"));
    }

    @Test
    void aBatchCannotDropASecretFieldTheStoredRecordsHold() {
        String operator = create("operator-batch", "operator");
        objects(operator).apply(RunningControlPlane.documents("""
                kind: CustomDataKind
                name: keyholders
                idField: username
                """, """
                kind: CustomData
                name: keyholders
                secretFields: [apiKey]
                records:
                - {username: alice, apiKey: k-123456}
                """));
        String batch = """
                kind: CustomData
                name: keyholders
                secretFields: [nothing]
                list: [{username: zz-probe}]
                """;

        String dryRun = objects(operator).apply(RunningControlPlane.documents(batch).toBuilder().setDryRun(true).build())
                .getResults(0).getJson();
        assertThat(dryRun).contains("zz-probe").doesNotContain("k-123456");
        objects(operator).apply(RunningControlPlane.documents(batch));
        String shown = objects(operator).get(get("CustomData", "keyholders", false)).getObject().getJson();
        assertThat(shown).contains("zz-probe").contains("alice").doesNotContain("k-123456");
        assertThat(objects(adminToken).get(get("CustomData", "keyholders", true)).getObject().getJson()).contains("k-123456");
    }

    @Test
    void aRedactedSecretIsNotRestoredIntoAnotherKindOfFieldNorSentToANewEndPoint() {
        String operator = create("operator-marker", "operator");
        objects(operator).apply(RunningControlPlane.documents("""
                kind: Pipeline
                name: guarded
                flow:
                - filter: jwt
                - filter: introspect
                filters:
                - name: jwt
                  kind: Validator
                  jwt: {algorithm: HS256, secret: 6a7774207369676e696e67206b6579}
                - name: introspect
                  kind: Validator
                  oauth2:
                    tokenIntrospect: {endPoint: 'https://idp.example/introspect', clientId: gw, clientSecret: idp-secret}
                """));
        String shown = objects(operator).get(get("Pipeline", "guarded", false)).getObject().getJson();
        String jwtMarker = field(shown, "secret");
        String clientMarker = field(shown, "clientSecret");

        // The JWT key's marker moved into the introspection secret, sent to a server the writer chose.
        String moved = shown.replace("\"clientSecret\":\"" + clientMarker + "\"", "\"clientSecret\":\"" + jwtMarker + "\"");
        assertThatThrownBy(() -> objects(operator).apply(RunningControlPlane.documents(moved)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .contains("clientSecret").contains("matches no stored secret"));
        // The introspection secret kept in place, its endPoint changed: it would be sent to the new one.
        String redirected = shown.replace("https://idp.example/introspect", "https://attacker.example/introspect");
        assertThatThrownBy(() -> objects(operator).apply(RunningControlPlane.documents(redirected)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .contains("clientSecret").contains("stays with that endPoint"));
        // Unchanged, or with the filters reordered, it still round-trips.
        objects(operator).apply(RunningControlPlane.documents(shown));
        String stored = objects(adminToken).get(get("Pipeline", "guarded", true)).getObject().getJson();
        assertThat(stored).contains("idp-secret").contains("https://idp.example/introspect").contains("6a7774207369676e696e67206b6579");
    }

    /** Secrets a node uses beyond the Validator's: an OIDC client secret, signing keys, a health check's password. */
    @Test
    void oidcSigningAndHealthCheckSecretsAreRedactedAndStayWithTheServersTheyAreSentTo() {
        String operator = create("operator-more", "operator");
        objects(adminToken).apply(RunningControlPlane.documents("""
                kind: Pipeline
                name: more-secrets
                flow:
                - filter: oidc
                - filter: sign
                - filter: proxy
                filters:
                - name: oidc
                  kind: OIDCAdaptor
                  clientId: gw
                  clientSecret: oidc-client-secret
                  discovery: https://idp.example/.well-known/openid-configuration
                  redirectURI: /oidc/callback
                - name: sign
                  kind: RequestAdaptor
                  sign: {apiProvider: aws4, accessKeyId: AKID, accessKeySecret: sign-key-secret, scopes: [us-east-2, s3]}
                - name: proxy
                  kind: Proxy
                  pools:
                  - servers: [{url: 'http://10.0.0.1:8080'}]
                    healthCheck: {interval: 10s, uri: /health, username: probe, password: probe-password}
                  - servers: [{url: 'http://10.0.0.2:8080'}]
                    filter: {headers: {X-Canary: {exact: 'yes'}}}
                    healthCheck: {interval: 10s, uri: /health, headers: {authorization: Bearer probe-token}}
                """));
        String shown = objects(operator).get(get("Pipeline", "more-secrets", false)).getObject().getJson();
        assertThat(shown).doesNotContain("oidc-client-secret").doesNotContain("sign-key-secret").doesNotContain("probe-password")
                .doesNotContain("probe-token").contains("AKID").contains("probe");
        assertThat(field(shown, "password")).matches("<redacted, sha256:[0-9a-f]{16}>");

        // The password kept, the pool's server changed: the probe would carry it to the new server.
        String redirected = shown.replace("http://10.0.0.1:8080", "http://203.0.113.7:8080");
        assertThatThrownBy(() -> objects(operator).apply(RunningControlPlane.documents(redirected)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .contains("healthCheck.password").contains("matches no stored secret"));
        // Likewise the client secret with another provider.
        String otherProvider = shown.replace("https://idp.example/", "https://attacker.example/");
        assertThatThrownBy(() -> objects(operator).apply(RunningControlPlane.documents(otherProvider)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                        .contains("clientSecret").contains("matches no stored secret"));

        objects(operator).apply(RunningControlPlane.documents(shown.replace("10s", "20s")));
        String stored = objects(adminToken).get(get("Pipeline", "more-secrets", true)).getObject().getJson();
        assertThat(stored).contains("oidc-client-secret").contains("sign-key-secret").contains("probe-password")
                .contains("Bearer probe-token").contains("20s");
    }

    /** A writer who may not read a stored secret cannot test guesses about it with a schema of their own. */
    @Test
    void aStoredSecretIsNotCheckedAgainstASchemaTheWriterSends() {
        String operator = create("operator-schema", "operator");
        objects(adminToken).apply(RunningControlPlane.documents("""
                kind: CustomData
                name: vault
                records:
                - {username: alice, password: hunter2-secret}
                """));
        String shown = objects(operator).get(get("CustomData", "vault", false)).getObject().getJson();
        for (String property : List.of("{type: string, pattern: '^h'}", "{type: string, pattern: '^x'}", "{type: integer}",
                "{type: string, maxLength: 3}")) {
            ApplyOutcome outcome = dryRun(operator, vaultKind(property), shown);
            assertThat(outcome.message()).doesNotContain("hunter2");
            assertThat(outcome.refused()).as(property + " tells nothing of the stored password").isFalse();
        }
        // A new value is checked, and no message repeats it either.
        ApplyOutcome fresh = dryRun(operator, vaultKind("{type: integer}"), """
                {"kind": "CustomData", "name": "vault", "records": [{"username": "alice", "password": "new-guess"}]}""");
        assertThat(fresh.refused()).isTrue();
        assertThat(fresh.message()).contains("'password' must be a integer").doesNotContain("new-guess");
    }

    private static String vaultKind(String passwordProperty) {
        return """
                kind: CustomDataKind
                name: vault
                idField: username
                jsonSchema: {type: object, properties: {password: %s}}
                """.formatted(passwordProperty);
    }

    private record ApplyOutcome(boolean refused, String message) {
    }

    private ApplyOutcome dryRun(String token, String kindDocument, String dataDocument) {
        try {
            objects(token).apply(RunningControlPlane.documents(kindDocument, dataDocument).toBuilder().setDryRun(true).build());
            return new ApplyOutcome(false, "");
        } catch (StatusRuntimeException e) {
            return new ApplyOutcome(true, String.valueOf(e.getStatus().getDescription()));
        }
    }

    /** The value of the first string field {@code name} in {@code json}. */
    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    @Test
    void repeatedFailedAuthenticationsFromOneAddressAreSlowedDown() throws Exception {
        PkiDirectory own = new PkiDirectory(dir.resolve("guessing"));
        int guessPort = FreePorts.pick();
        try (ControlPlane guarded = ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", guessPort),
                ControlPlaneSecurity.tls(own.issueServer("control-plane", List.of("127.0.0.1")), dir.resolve("guessing.token")))) {
            guarded.cache().ready().get(10, TimeUnit.SECONDS);
            ManagedChannel channel = track(NettyChannelBuilder.forAddress("127.0.0.1", guessPort)
                    .sslContext(ControlChannelTls.client(new ReloadingTls(TlsFiles.trustOnly(own.caCertificate()), Clock.systemUTC()), SslProvider.JDK))
                    .build());
            Status last = Status.OK;
            for (int i = 0; i < 40 && last.getCode() != Status.Code.RESOURCE_EXHAUSTED; i++) {
                try {
                    objects(channel, "egt_bootstrap-admin.guess" + i).list(ListRequest.getDefaultInstance());
                } catch (StatusRuntimeException e) {
                    last = e.getStatus();
                }
            }
            assertThat(last.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(last.getDescription()).contains("too many failed authentications from 127.0.0.1");
        }
    }

    @Test
    void oneTokenCannotFloodTheApi() {
        String chatty = create("chatty", "viewer");
        ObjectServiceGrpc.ObjectServiceBlockingStub stub = objects(chatty);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000; i++) {
                stub.list(ListRequest.newBuilder().setKind("CustomData").build());
            }
        }).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).contains("token chatty made more than 100 calls per second");
        });
        assertThat(objects(adminToken).list(ListRequest.getDefaultInstance())).isNotNull();
    }

    @Test
    void anOversizedRequestIsRefusedWithTheLimitNamed() {
        String huge = "kind: CustomData\nname: huge\nrecords:\n- {blob: '" + "x".repeat(17 * 1024 * 1024) + "'}\n";
        assertThatThrownBy(() -> objects(adminToken).apply(RunningControlPlane.documents(huge)))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("16777216");
                });
    }

    @Test
    void expiredOrMismatchedTlsFilesFailTheStartNamingTheFile() throws Exception {
        CertificateAuthority ca = pki.authority();
        Path cert = dir.resolve("expired.pem");
        Path key = dir.resolve("expired-key.pem");
        ca.issueServer("old", List.of("127.0.0.1"), Duration.ofSeconds(-60)).writeTo(cert, key);
        assertThatThrownBy(() -> ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                ControlPlaneSecurity.tls(TlsFiles.of(cert, key, pki.caCertificate()), dir.resolve("t1"))))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining(cert.toString()).hasMessageContaining("expired on");

        Path otherKey = dir.resolve("other-key.pem");
        ca.issueServer("other", List.of("127.0.0.1"), Duration.ofDays(1)).writeTo(dir.resolve("other.pem"), otherKey);
        Path good = pki.certificate("control-plane");
        assertThatThrownBy(() -> ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                ControlPlaneSecurity.tls(TlsFiles.of(good, otherKey, pki.caCertificate()), dir.resolve("t2"))))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining(otherKey.toString()).hasMessageContaining("does not belong to the certificate");

        Files.writeString(dir.resolve("garbage.pem"), "not a certificate");
        assertThatThrownBy(() -> ControlPlane.startInMemory(new InetSocketAddress("127.0.0.1", FreePorts.pick()),
                ControlPlaneSecurity.tls(TlsFiles.of(good, pki.key("control-plane"), dir.resolve("garbage.pem")), dir.resolve("t3"))))
                .isInstanceOf(TlsFileException.class)
                .hasMessageContaining("garbage.pem").hasMessageContaining("no PEM certificate");
    }

    private static GetRequest get(String kind, String name, boolean showSecrets) {
        return GetRequest.newBuilder().setKey(ObjectKey.newBuilder().setKind(kind).setName(name)).setShowSecrets(showSecrets).build();
    }

    private static String create(String name, String role) {
        return tokens(adminToken).create(CreateTokenRequest.newBuilder().setName(name).setRole(role).build()).getToken();
    }

    private static ManagedChannel tls(TlsFiles files) {
        return track(NettyChannelBuilder.forAddress("127.0.0.1", port)
                .sslContext(ControlChannelTls.client(new ReloadingTls(files, Clock.systemUTC()), SslProvider.JDK)).build());
    }

    private static ManagedChannel track(ManagedChannel channel) {
        synchronized (channels) {
            channels.add(channel);
        }
        return channel;
    }

    private static Channel withToken(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        }
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    private static ObjectServiceGrpc.ObjectServiceBlockingStub objects(String token) {
        return objects(tls(TlsFiles.trustOnly(pki.caCertificate())), token);
    }

    private static ObjectServiceGrpc.ObjectServiceBlockingStub objects(ManagedChannel channel, String token) {
        return ObjectServiceGrpc.newBlockingStub(withToken(channel, token)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static ClusterServiceGrpc.ClusterServiceBlockingStub cluster(String token) {
        return ClusterServiceGrpc.newBlockingStub(withToken(tls(TlsFiles.trustOnly(pki.caCertificate())), token))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static TokenServiceGrpc.TokenServiceBlockingStub tokens(String token) {
        return TokenServiceGrpc.newBlockingStub(withToken(tls(TlsFiles.trustOnly(pki.caCertificate())), token))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

}

package io.edgegate.controlplane.security;

import io.edgegate.security.PkiDirectory;
import io.edgegate.security.Pem;
import io.edgegate.security.TlsFileException;
import io.edgegate.security.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate a control plane started without TLS flags makes for itself under its PKI
 * directory. It is issued anew when missing, within 30 days of expiry, or when it does not name
 * every host it should (a {@code --tls-san} added later), and checked twice a day while the
 * control plane runs: the port re-reads its files, so a control plane up for a year keeps a valid
 * certificate without a restart.
 */
public final class OwnServerCertificate {

    private static final Logger log = LoggerFactory.getLogger(OwnServerCertificate.class);
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    static final Duration CHECK_EVERY = Duration.ofHours(12);

    private final PkiDirectory pki;
    private final String name;
    private final List<String> hosts;
    private final Duration margin;

    public OwnServerCertificate(PkiDirectory pki, String name, List<String> hosts) {
        this(pki, name, hosts, RENEW_BEFORE);
    }

    OwnServerCertificate(PkiDirectory pki, String name, List<String> hosts, Duration margin) {
        this.pki = pki;
        this.name = name;
        this.hosts = List.copyOf(hosts);
        this.margin = margin;
    }

    public TlsFiles files() {
        return pki.files(name);
    }

    /** Issues the certificate (and the CA, the first time) when it is due; returns whether it did. */
    public boolean renewIfDue() throws IOException {
        if (!pki.needsIssuing(name, margin) && namesEveryHost()) {
            return false;
        }
        pki.issueServer(name, hosts);
        return true;
    }

    /** Checks twice a day on a thread of its own until closed. */
    public AutoCloseable keepRenewed() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "certificate-renewal");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::renewLogged, CHECK_EVERY.toMinutes(), CHECK_EVERY.toMinutes(), TimeUnit.MINUTES);
        return timer::shutdownNow;
    }

    void renewLogged() {
        try {
            if (renewIfDue()) {
                log.info("issued a new certificate for {} in {} (hosts {}); the port serves it from its next handshake", name, pki.dir(), hosts);
            }
        } catch (IOException | RuntimeException e) {
            log.error("could not renew the certificate {} in {}: {}", name, pki.dir(), e.getMessage());
        }
    }

    private boolean namesEveryHost() {
        try {
            X509Certificate certificate = Pem.readCertificates(pki.certificate(name)).get(0);
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            Set<String> named = new HashSet<>();
            if (entries != null) {
                entries.forEach(entry -> named.add(canonical(String.valueOf(entry.get(1)))));
            }
            return hosts.stream().map(OwnServerCertificate::canonical).allMatch(named::contains);
        } catch (TlsFileException | CertificateParsingException e) {
            return false;
        }
    }

    /** An IP address in one spelling (a certificate lists ::1 as 0:0:0:0:0:0:0:1), a name in lower case. */
    private static String canonical(String host) {
        boolean ipLiteral = host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
        if (ipLiteral) {
            try {
                return InetAddress.getByName(host).getHostAddress();
            } catch (UnknownHostException notAnAddress) {
                return host.toLowerCase(Locale.ROOT);
            }
        }
        return host.toLowerCase(Locale.ROOT);
    }
}

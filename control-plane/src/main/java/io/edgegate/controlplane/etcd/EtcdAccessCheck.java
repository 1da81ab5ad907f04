package io.edgegate.controlplane.etcd;

import io.edgegate.async.Causes;
import io.edgegate.controlplane.store.Store;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, one read through the secured etcd client: a wrong password, a CA that did not sign
 * etcd's certificate or a certificate for another host would otherwise surface as endless
 * "etcd unreachable" retries. Those fail the start, naming the check; etcd simply being down
 * does not (the control plane rides out etcd outages).
 */
public final class EtcdAccessCheck {

    private static final Logger log = LoggerFactory.getLogger(EtcdAccessCheck.class);

    private EtcdAccessCheck() {
    }

    public static void verify(Store store, EtcdAccess access, Duration timeout) throws IOException {
        if (!access.tls() && access.user().isEmpty()) {
            return;
        }
        try {
            store.probe().get(timeout.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while checking etcd", e);
        } catch (ExecutionException | TimeoutException e) {
            Optional<String> refusal = refusal(e, access);
            if (refusal.isPresent()) {
                throw new IOException(refusal.get());
            }
            log.warn("etcd did not answer the start-up check ({}); carrying on, it will be retried", e.toString());
        }
    }

    /** What security check an etcd failure comes from, if it comes from one. */
    static Optional<String> refusal(Throwable error, EtcdAccess access) {
        String all = Causes.chain(error).toLowerCase(Locale.ROOT);
        if (all.contains("authentication failed") || all.contains("invalid user id or password") || all.contains("user name not found")) {
            return Optional.of("etcd authentication failed for user '" + access.user().orElse("") + "': wrong user or password "
                    + "(--etcd-user, --etcd-password-file)");
        }
        if (all.contains("user name is empty") || all.contains("permission denied") && access.user().isEmpty()) {
            return Optional.of("etcd authentication is on and no user was given (--etcd-user, --etcd-password-file)");
        }
        if (all.contains("no subject alternative") || all.contains("no name matching") || all.contains("hostname") && all.contains("match")) {
            return Optional.of("etcd's certificate does not name the host of its endpoint (SAN mismatch): " + firstLine(all));
        }
        if (all.contains("pkix path") || all.contains("unable to find valid certification path") || all.contains("unknown ca")
                || all.contains("certificate_unknown")) {
            return Optional.of("etcd's certificate is not signed by a CA in --etcd-ca " + access.ca().map(Object::toString).orElse("")
                    + " (unknown CA), or etcd does not trust this control plane's certificate");
        }
        if (all.contains("bad_certificate") || all.contains("certificate required") || all.contains("certificate_required")) {
            return Optional.of("etcd refused this control plane's client certificate (--etcd-cert): is it signed by etcd's trusted CA?");
        }
        if (all.contains("sslhandshake") || all.contains("ssl") && all.contains("handshake")) {
            return Optional.of("the TLS handshake with etcd failed: " + firstLine(all));
        }
        return Optional.empty();
    }

    private static String firstLine(String text) {
        String trimmed = text.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}

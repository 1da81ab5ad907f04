package io.edgegate.security;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's TLS identity and trust, re-read when its files change: new handshakes use the new
 * certificate or CA bundle while open connections carry on. The first load is strict (a bad file
 * fails the start, naming it); a bad file seen later is logged and the last good material kept,
 * so a half-finished rotation never takes a running process down.
 */
public final class ReloadingTls {

    private static final Logger log = LoggerFactory.getLogger(ReloadingTls.class);

    private final TlsFiles files;
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile Material material;
    /** The material before the newest: a handshake that chose its alias just before a swap still finds its key. */
    private volatile Material previous;
    private long generations;
    private List<FileTime> stamps;

    public ReloadingTls(TlsFiles files, Clock clock) {
        this.files = files;
        this.clock = clock;
        this.stamps = stamps();
        this.material = Material.of(files.load(clock.instant()), "gen-0");
        this.previous = material;
    }

    /** The certificate this process presents, if it has one. */
    public Optional<X509Certificate> certificate() {
        List<X509Certificate> chain = material.loaded.chain();
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
    }

    /** Runs after each successful reload (e.g. a client reconnects so the other side sees its new certificate). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Reloads if any file changed since the last look; returns whether new material is in use. */
    public synchronized boolean refresh() {
        List<FileTime> now = stamps();
        if (now.equals(stamps)) {
            return false;
        }
        stamps = now;
        Material next;
        try {
            next = Material.of(files.load(clock.instant()), "gen-" + ++generations);
        } catch (RuntimeException e) {
            log.warn("keeping the current TLS material: {}", e.getMessage());
            return false;
        }
        previous = material;
        material = next;
        log.info("TLS material reloaded from {}", files);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // One failing listener must not stop the others, nor the periodic refresh that called this.
                log.warn("after reloading TLS material: {}", e.toString());
            }
        }
        return true;
    }

    public X509ExtendedKeyManager keyManager() {
        return new CurrentKeyManager();
    }

    public X509ExtendedTrustManager trustManager() {
        return new CurrentTrustManager();
    }

    private List<FileTime> stamps() {
        List<Path> paths = new ArrayList<>();
        files.certificate().ifPresent(paths::add);
        files.key().ifPresent(paths::add);
        paths.add(files.ca());
        List<FileTime> times = new ArrayList<>();
        for (Path path : paths) {
            try {
                times.add(Files.getLastModifiedTime(path));
            } catch (java.io.IOException e) {
                times.add(FileTime.fromMillis(-1));
            }
        }
        return times;
    }

    private record Material(TlsFiles.Loaded loaded, Optional<X509ExtendedKeyManager> keys, X509ExtendedTrustManager trust,
                            String alias) {

        static Material of(TlsFiles.Loaded loaded, String alias) {
            try {
                KeyStore trustStore = KeyStore.getInstance("PKCS12");
                trustStore.load(null, null);
                for (int i = 0; i < loaded.cas().size(); i++) {
                    trustStore.setCertificateEntry("ca-" + i, loaded.cas().get(i));
                }
                TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
                trustFactory.init(trustStore);
                X509ExtendedTrustManager trust = firstExtended(trustFactory.getTrustManagers());
                Optional<X509ExtendedKeyManager> keys = loaded.key()
                        .map(key -> new SingleKeyManager(alias, key, loaded.chain()));
                return new Material(loaded, keys, trust, alias);
            } catch (GeneralSecurityException | java.io.IOException e) {
                throw new IllegalStateException("cannot build TLS managers: " + e.getMessage(), e);
            }
        }

        private static X509ExtendedTrustManager firstExtended(TrustManager[] managers) {
            for (TrustManager manager : managers) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    return extended;
                }
            }
            throw new IllegalStateException("the JDK offers no X509ExtendedTrustManager");
        }
    }

    /**
     * Chooses from the newest material; hands out the chain and key of whichever material the
     * chosen alias names (each generation has its own), so a handshake never pairs a new
     * certificate with an old key.
     */
    private final class CurrentKeyManager extends X509ExtendedKeyManager {

        private Optional<X509ExtendedKeyManager> keys() {
            return material.keys();
        }

        private Optional<X509ExtendedKeyManager> keys(String alias) {
            Material now = material;
            if (alias != null && alias.equals(now.alias())) {
                return now.keys();
            }
            Material before = previous;
            return alias != null && alias.equals(before.alias()) ? before.keys() : Optional.empty();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keys().map(k -> k.getClientAliases(keyType, issuers)).orElse(null);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return keys().map(k -> k.chooseClientAlias(keyType, issuers, socket)).orElse(null);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return keys().map(k -> k.chooseEngineClientAlias(keyType, issuers, engine)).orElse(null);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return keys().map(k -> k.getServerAliases(keyType, issuers)).orElse(null);
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return keys().map(k -> k.chooseServerAlias(keyType, issuers, socket)).orElse(null);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return keys().map(k -> k.chooseEngineServerAlias(keyType, issuers, engine)).orElse(null);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys(alias).map(k -> k.getCertificateChain(alias)).orElse(null);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys(alias).map(k -> k.getPrivateKey(alias)).orElse(null);
        }
    }

    /** Delegates every check to the trust manager of the newest CA bundle. */
    private final class CurrentTrustManager extends X509ExtendedTrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            material.trust().checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            material.trust().checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            material.trust().checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            material.trust().checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            material.trust().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            material.trust().checkServerTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return material.trust().getAcceptedIssuers();
        }
    }
}

package io.edgegate.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One private key and its certificate chain, handed to TLS as they are. The JDK's own key managers
 * take keys only from a KeyStore, and a PKCS12 store encrypts each key as it is put in and decrypts
 * it as the manager reads it, each time with 10,000 rounds of PBKDF2: ~0.2 s of a cold start, paid
 * again for every certificate a node serves. Chooses the key as the JDK's SunX509 manager does: by
 * its algorithm, the signer a TLS 1.2 key type names ({@code EC_RSA}), and the issuers the peer
 * accepts.
 */
public final class SingleKeyManager extends X509ExtendedKeyManager {

    private final String alias;
    private final PrivateKey key;
    private final X509Certificate[] chain;

    public SingleKeyManager(String alias, PrivateKey key, List<X509Certificate> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a key needs its certificate");
        }
        this.alias = alias;
        this.key = key;
        this.chain = chain.toArray(X509Certificate[]::new);
    }

    private boolean fits(String keyType, Principal[] issuers) {
        if (keyType == null) {
            return false;
        }
        String algorithm = keyType;
        String signer = null;
        int underscore = keyType.indexOf('_');
        if (underscore > 0) {
            algorithm = keyType.substring(0, underscore);
            signer = keyType.substring(underscore + 1);
        }
        return algorithm.equals(key.getAlgorithm()) && signedBy(signer) && issuedByOneOf(issuers);
    }

    private boolean signedBy(String signer) {
        if (signer == null) {
            return true;
        }
        if (chain.length > 1) {
            return signer.equals(chain[1].getPublicKey().getAlgorithm());
        }
        return chain[0].getSigAlgName().toUpperCase(Locale.ROOT).contains("WITH" + signer.toUpperCase(Locale.ROOT));
    }

    private boolean issuedByOneOf(Principal[] issuers) {
        if (issuers == null || issuers.length == 0) {
            return true;
        }
        for (X509Certificate certificate : chain) {
            for (Principal issuer : issuers) {
                if (certificate.getIssuerX500Principal().equals(issuer)) {
                    return true;
                }
            }
        }
        return false;
    }

    private String choose(String[] keyTypes, Principal[] issuers) {
        if (keyTypes != null) {
            for (String keyType : keyTypes) {
                if (fits(keyType, issuers)) {
                    return alias;
                }
            }
        }
        return null;
    }

    private String[] aliases(String keyType, Principal[] issuers) {
        return fits(keyType, issuers) ? new String[] {alias} : null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return aliases(keyType, issuers);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return choose(keyTypes, issuers);
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return choose(keyTypes, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return aliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return fits(keyType, issuers) ? alias : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return fits(keyType, issuers) ? alias : null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String requested) {
        return alias.equals(requested) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String requested) {
        return alias.equals(requested) ? key : null;
    }
}

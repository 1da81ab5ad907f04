package io.edgegate.spec.server.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Reads certificates and private keys as operators paste them: PEM text (or base64 of PEM),
 * keys in PKCS#8, PKCS#1 ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) form, as
 * Go's {@code tls.X509KeyPair} accepts. Errors are {@link IllegalArgumentException}s whose
 * message tells the operator what to fix.
 */
public final class Pem {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final int DNS_NAME = 2;

    private Pem() {
    }

    /** PEM text, or base64 of PEM text (as in {@code certBase64}) decoded. */
    public static String text(String value) {
        if (value.contains("-----BEGIN")) {
            return value;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.replaceAll("\\s", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        if (!decoded.contains("-----BEGIN")) {
            throw new IllegalArgumentException("is neither PEM text nor base64 of PEM text");
        }
        return decoded;
    }

    /** The certificates of a PEM chain, leaf first. */
    public static List<X509Certificate> certificates(String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("holds no '-----BEGIN CERTIFICATE-----' block");
        }
        try {
            Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            List<X509Certificate> certs = new ArrayList<>();
            parsed.forEach(c -> certs.add((X509Certificate) c));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("holds no certificate");
            }
            return certs;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("is not a valid certificate: " + e.getMessage());
        }
    }

    public static PrivateKey privateKey(String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + type + "' block is not valid base64");
            }
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(der);
                case "RSA PRIVATE KEY" -> pkcs8(Der.pkcs8(Der.tlv(Der.SEQUENCE, Der.RSA_ENCRYPTION, new byte[] {Der.NULL, 0}), der));
                case "EC PRIVATE KEY" -> pkcs8(Der.pkcs8(Der.tlv(Der.SEQUENCE, Der.EC_PUBLIC_KEY, sec1Curve(der)), der));
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException(
                        "is an encrypted key; give the key unencrypted (openssl pkcs8 -topk8 -nocrypt)");
                default -> throw new IllegalArgumentException("holds an unknown key type '" + type + "'");
            };
        }
        throw new IllegalArgumentException("holds no '-----BEGIN PRIVATE KEY-----' block");
    }

    /** Whether {@code key} is the private half of {@code certificate}'s public key. */
    public static boolean pairs(PrivateKey key, X509Certificate certificate) {
        PublicKey publicKey = certificate.getPublicKey();
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return false;
        }
        try {
            byte[] probe = "edgegate-key-pair-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The DNS names a certificate serves: its subjectAltName DNS entries, else its common name; lower-case. */
    public static List<String> dnsNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (((Integer) entry.get(0)) == DNS_NAME) {
                        names.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // Unreadable alternatives: fall back to the common name.
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // No usable name: the pair is only the default certificate.
            }
        }
        return names;
    }

    private static PrivateKey pkcs8(byte[] der) {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // Try the next algorithm.
            }
        }
        throw new IllegalArgumentException("is not an RSA, EC or Ed25519 private key");
    }

    /** The curve OID element from a SEC1 ECPrivateKey's optional [0] parameters. */
    private static byte[] sec1Curve(byte[] sec1) {
        try {
            Der.Reader reader = new Der.Reader(sec1, 0);
            int end = reader.enter();
            reader.skip(); // version
            reader.skip(); // private key octets
            while (reader.hasMore(end)) {
                if (reader.tag() == Der.CONTEXT_0) {
                    reader.enter();
                    if (reader.tag() == Der.OID) {
                        return reader.element();
                    }
                    break;
                }
                reader.skip();
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'EC PRIVATE KEY' block is not a valid SEC1 key");
        }
        throw new IllegalArgumentException("'EC PRIVATE KEY' block names no curve; convert it with openssl pkcs8 -topk8 -nocrypt");
    }
}

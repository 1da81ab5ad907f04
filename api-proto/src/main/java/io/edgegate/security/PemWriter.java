package io.edgegate.security;

import java.io.IOException;
import java.io.StringWriter;
import java.security.PrivateKey;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * Writes PEM with BouncyCastle. A class of its own so that {@link Pem}, which every process
 * loads to read its certificates, does not refer to BouncyCastle's types.
 */
final class PemWriter {

    private PemWriter() {
    }

    static String encode(Object... items) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object item : items) {
                writer.writeObject(item instanceof PrivateKey key ? new JcaPKCS8Generator(key, null) : item);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode PEM", e);
        }
        return text.toString();
    }
}

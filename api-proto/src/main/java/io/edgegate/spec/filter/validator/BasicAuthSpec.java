package io.edgegate.spec.filter.validator;

import io.edgegate.spec.codec.SpecObject;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Validator's {@code basicAuth}: HTTP Basic credentials checked against {@code userFile}
 * (mode {@code FILE}), an htpasswd-style file on each data-plane node with one
 * {@code user:hash} per line, the hash bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) or
 * {@code {SHA}} (base64 SHA-1, htpasswd -s).
 */
public record BasicAuthSpec(String userFile) {

    static BasicAuthSpec decode(SpecObject o) {
        String mode = o.string("mode", "FILE").toUpperCase(Locale.ROOT);
        if (mode.equals("ETCD")) {
            o.error("mode", "ETCD is not supported: data planes never talk to etcd; use FILE (users from etcd through the "
                    + "control plane are planned)");
        } else if (!mode.equals("FILE")) {
            o.error("mode", "'" + mode + "' is not a mode (expected FILE)");
        }
        o.optionalString("etcdPrefix");
        String file = o.requiredString("userFile");
        if (!file.isEmpty() && !Path.of(file).isAbsolute()) {
            o.error("userFile", "'" + file + "' must be an absolute path (the file on each data-plane node)");
        }
        o.finish();
        return new BasicAuthSpec(file);
    }
}

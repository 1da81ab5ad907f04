package io.edgegate.spec.filter.validator;

import io.edgegate.spec.Names;
import io.edgegate.spec.codec.SpecObject;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The Validator's {@code basicAuth}: HTTP Basic credentials checked against users with a
 * bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) or {@code {SHA}} (base64 SHA-1, htpasswd -s)
 * password hash. Mode {@code FILE} reads them from {@code userFile}, an htpasswd-style file on
 * each data-plane node; mode {@code ETCD} from the records of the {@link
 * io.edgegate.spec.customdata.CustomDataSpec CustomData} object that {@code etcdPrefix} names
 * ({@code credentials/} → {@code CustomData/credentials}), stored in etcd by the control plane
 * and followed by every node without a re-apply. Each record has {@code username} (or
 * Easegress's {@code key}) and {@code password}.
 */
public record BasicAuthSpec(Mode mode, Optional<String> userFile, Optional<String> customData) {

    public enum Mode { FILE, ETCD }

    static BasicAuthSpec decode(SpecObject o) {
        String mode = o.string("mode", "FILE").toUpperCase(Locale.ROOT);
        BasicAuthSpec spec = switch (mode) {
            case "FILE" -> new BasicAuthSpec(Mode.FILE, Optional.of(userFile(o)), Optional.empty());
            case "ETCD" -> new BasicAuthSpec(Mode.ETCD, Optional.empty(), Optional.of(customData(o)));
            default -> {
                o.error("mode", "'" + mode + "' is not a mode (expected FILE or ETCD)");
                yield new BasicAuthSpec(Mode.FILE, Optional.empty(), Optional.empty());
            }
        };
        misplaced(o, "etcdPrefix", Mode.ETCD, spec.mode());
        misplaced(o, "userFile", Mode.FILE, spec.mode());
        o.finish();
        return spec;
    }

    private static void misplaced(SpecObject o, String key, Mode belongsTo, Mode mode) {
        if (mode != belongsTo && o.optionalString(key).isPresent()) {
            o.error(key, "is used with mode: " + belongsTo + " (this basicAuth has mode: " + mode + ")");
        }
    }

    private static String userFile(SpecObject o) {
        String file = o.requiredString("userFile");
        if (!file.isEmpty() && !Path.of(file).isAbsolute()) {
            o.error("userFile", "'" + file + "' must be an absolute path (the file on each data-plane node)");
        }
        return file;
    }

    /** Easegress keeps custom data under {@code /custom-data/<prefix>}; here the prefix names one CustomData object. */
    private static String customData(SpecObject o) {
        String prefix = o.requiredString("etcdPrefix");
        String name = prefix.replaceAll("^/+|/+$", "");
        if (!prefix.isEmpty() && !Names.isValid(name)) {
            o.error("etcdPrefix", "'" + prefix + "' must name one CustomData object, e.g. credentials/ for the "
                    + "CustomData named credentials");
        }
        return name;
    }
}

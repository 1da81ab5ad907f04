package io.edgegate.dataplane.filter.validator;

import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.filter.validator.BasicAuthSpec;
import java.nio.file.Path;

/** Where a basicAuth check finds its users: a file, or CustomData; both followed as they change, as Easegress follows them. */
interface Credentials {

    PasswordTable current();

    static Credentials of(BasicAuthSpec spec, CustomDataView data) {
        return switch (spec.mode()) {
            case FILE -> new FromFile(Path.of(spec.userFile().orElseThrow()));
            case ETCD -> new FromCustomData(spec.customData().orElseThrow(), data);
        };
    }

    /**
     * An htpasswd file, read at apply (a bad one refuses the config) and again when it changes: a user taken out of it
     * is refused from the next check on (within {@link #CHECK_EVERY_NANOS}), as Easegress watches the file. A file
     * that became unreadable or bad keeps the users it had, with a warning. Called off the event loops.
     */
    final class FromFile implements Credentials {

        static final long CHECK_EVERY_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FromFile.class);

        private record Stamp(java.nio.file.attribute.FileTime modified, long size) {
        }

        private final Path file;
        private volatile PasswordTable table;
        private Stamp stamp;
        private long checkedAt;

        FromFile(Path file) {
            this.file = file;
            this.stamp = stampOf(file);
            this.table = PasswordTable.readFile(file);
            this.checkedAt = System.nanoTime();
        }

        @Override
        public PasswordTable current() {
            synchronized (this) {
                long now = System.nanoTime();
                if (now - checkedAt >= CHECK_EVERY_NANOS) {
                    checkedAt = now;
                    Stamp seen = stampOf(file);
                    if (!seen.equals(stamp)) {
                        stamp = seen;
                        try {
                            table = PasswordTable.readFile(file);
                            log.info("basicAuth userFile {} changed: its users were read again", file);
                        } catch (IllegalArgumentException e) {
                            log.warn("basicAuth userFile {} changed but cannot be used, its earlier users stay: {}", file, e.getMessage());
                        }
                    }
                }
            }
            return table;
        }

        private static Stamp stampOf(Path file) {
            try {
                return new Stamp(java.nio.file.Files.getLastModifiedTime(file), java.nio.file.Files.size(file));
            } catch (java.io.IOException e) {
                return new Stamp(null, -1);
            }
        }
    }

    /**
     * Rebuilds the table only when the CustomData object is replaced (cheap: no hashing), so
     * the common request costs a map lookup and an identity check. A missing object means no users.
     */
    final class FromCustomData implements Credentials {

        private record Built(CustomDataSpec from, PasswordTable table) {
        }

        private static final Built NONE = new Built(null, PasswordTable.empty());

        private final String name;
        private final CustomDataView data;
        private volatile Built built = NONE;

        FromCustomData(String name, CustomDataView data) {
            this.name = name;
            this.data = data;
        }

        @Override
        public PasswordTable current() {
            CustomDataSpec spec = data.get(name).orElse(null);
            Built last = built;
            if (last.from() == spec) {
                return last.table();
            }
            Built next = spec == null ? NONE : new Built(spec, PasswordTable.fromRecords(name, spec.records()));
            built = next;
            return next.table();
        }
    }
}

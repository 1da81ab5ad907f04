package io.edgegate.dataplane.filter.validator;

import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.filter.validator.BasicAuthSpec;
import java.nio.file.Path;

/** Where a basicAuth check finds its users: fixed at apply (a file) or followed as data changes (CustomData). */
interface Credentials {

    PasswordTable current();

    static Credentials of(BasicAuthSpec spec, CustomDataView data) {
        return switch (spec.mode()) {
            case FILE -> {
                PasswordTable table = PasswordTable.readFile(Path.of(spec.userFile().orElseThrow()));
                yield () -> table;
            }
            case ETCD -> new FromCustomData(spec.customData().orElseThrow(), data);
        };
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

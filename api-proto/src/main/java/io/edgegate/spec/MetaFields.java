package io.edgegate.spec;

import io.edgegate.spec.codec.SpecObject;

/**
 * The metadata Easegress keeps next to {@code name} and {@code kind} on every object and filter
 * ({@code version}, {@code labels}, {@code createdAt}; its converters write them): accepted and
 * checked for form, stored with the object as written, and meaning nothing to the proxy.
 */
public final class MetaFields {

    private MetaFields() {
    }

    public static void read(SpecObject object) {
        object.optionalString("version");
        object.stringMap("labels");
        object.optionalString("createdAt");
    }
}

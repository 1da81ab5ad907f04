package io.edgegate.spec.filter.proxy;

import io.edgegate.spec.codec.SpecObject;

/**
 * The Proxy's {@code compression}: answers of at least {@code minLength} bytes (or of unknown
 * length) in a compressible type are compressed for clients that accept it, with brotli when
 * they accept it and the native library loads, else gzip.
 */
public record CompressionSpec(int minLength) {

    static CompressionSpec decode(SpecObject o) {
        int minLength = o.integer("minLength", 1024, 0, Integer.MAX_VALUE);
        o.finish();
        return new CompressionSpec(minLength);
    }
}

package io.edgegate.controlplane;

/** Small valid documents for control-plane tests. */
final class TestObjects {

    private TestObjects() {
    }

    /** A v2 pipeline named {@code name} with one Proxy over one server. */
    static String pipeline(String name) {
        return """
                name: %s
                kind: Pipeline
                filters:
                - {name: proxy, kind: Proxy, pools: [{servers: [{url: "http://127.0.0.1:9095"}]}]}
                """.formatted(name);
    }
}

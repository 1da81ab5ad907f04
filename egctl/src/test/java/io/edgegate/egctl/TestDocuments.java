package io.edgegate.egctl;

/** Documents egctl tests apply. */
final class TestDocuments {

    private TestDocuments() {
    }

    static final String PIPELINE = """
            kind: HTTPPipeline
            name: demo
            filters:
            - name: proxy
              kind: Proxy
              mainPool:
                servers: [{url: 'http://127.0.0.1:9095'}]
            """;
}

package io.edgegate.dataplane.filter.proxy;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.http.FixedBody;
import io.edgegate.dataplane.net.ClientAddresses;
import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.dataplane.pipeline.ServerSettings;
import io.edgegate.dataplane.upstream.UpstreamResponse;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.DocumentSplitter;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.filter.proxy.ProxySpec;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What the tests of a Proxy's parts build on: specs from YAML, requests on an EmbeddedChannel, upstream answers. */
final class ProxyParts {

    private ProxyParts() {
    }

    /** The Proxy named {@code proxy} of a Pipeline written in YAML. */
    static ProxySpec proxy(String pipelineYaml) throws Exception {
        ObjectDecoder decoder = new ObjectDecoder(FilterSpecKinds.builtIn());
        PipelineSpec pipeline = (PipelineSpec) decoder.decode(new DocumentParser().parse(
                DocumentSplitter.split("test", pipelineYaml).get(0)), ValidationMode.STRICT).spec();
        return (ProxySpec) pipeline.filter("proxy").orElseThrow();
    }

    /** The main pool of {@code spec}, a v2 Pipeline's Proxy: static servers, no health checks or registry (so the pool needs no node services). */
    static ServerPool mainPool(ProxySpec spec) {
        return new ServerPool(spec.mainPool(), new PoolServices(null, null, null), false);
    }

    /** The same of a v1 HTTPPipeline's Proxy, whose pools fail only on the codes they list. */
    static ServerPool v1MainPool(ProxySpec spec) {
        return new ServerPool(spec.mainPool(), new PoolServices(null, null, null), true);
    }

    static RequestContext request(EmbeddedChannel channel, HttpMethod method, String uri, BodyStream body) {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        head.headers().set(HttpHeaderNames.HOST, "shop.example");
        return new RequestContext(head, body, channel, new InetSocketAddress("127.0.0.1", 40000),
                new ServerSettings("s", false, ClientAddresses.trusting(List.of())), new RequestContext.Connection("http", false));
    }

    static UpstreamResponse answer(int status, String body) {
        DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        return new UpstreamResponse(head, new FixedBody(Unpooled.wrappedBuffer(bytes)), null);
    }
}

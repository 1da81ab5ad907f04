package io.edgegate.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgegate.dataplane.http.BodyStream;
import io.edgegate.dataplane.net.ClientAddresses;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Values handed between filters: typed, with a value for when none was handed on. */
class ContextKeyTest {

    private final RequestContext context = new RequestContext(
            new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"), BodyStream.EMPTY, new EmbeddedChannel(),
            new InetSocketAddress("127.0.0.1", 40000), new ServerSettings("s", false, ClientAddresses.trusting(List.of())),
            new RequestContext.Connection("http", false));

    @Test
    void aValueNeverHandedOnReadsAsTheKeysDefault() {
        assertThat(context.get(RequestKeys.JWT_CLAIMS)).isEmpty();
        assertThat(context.get(RequestKeys.RETRY_PLAN)).isSameAs(RetryPlan.NONE);
        assertThat(context.get(RequestKeys.DEADLINE_NANOS)).isEqualTo(Long.MAX_VALUE);
        assertThat(context.get(RequestKeys.UPSTREAM_FAILED)).isFalse();
    }

    @Test
    void theLastValuePutUnderAKeyIsTheOneRead() {
        context.put(RequestKeys.JWT_CLAIMS, Map.of("sub", "alice"));
        context.put(RequestKeys.UPSTREAM_FAILED, true);
        context.put(RequestKeys.JWT_CLAIMS, Map.of("sub", "bob"));

        assertThat(context.get(RequestKeys.JWT_CLAIMS)).containsEntry("sub", "bob");
        assertThat(context.get(RequestKeys.UPSTREAM_FAILED)).isTrue();
    }

    @Test
    void keysWithTheSameNameAreStillDifferentKeys() {
        List<ContextKey<Integer>> keys = IntStream.range(0, 10).mapToObj(i -> ContextKey.named("n", -1)).toList();
        for (int i = 0; i < keys.size(); i++) {
            context.put(keys.get(i), i);
        }

        assertThat(keys).extracting(context::get).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    }
}

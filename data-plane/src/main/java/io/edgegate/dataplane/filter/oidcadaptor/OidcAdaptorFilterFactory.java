package io.edgegate.dataplane.filter.oidcadaptor;

import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.upstream.SmallCall;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.oidcadaptor.OidcAdaptorSpec;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** Builds OIDCAdaptor filters; they call the provider over the node's upstream connections. */
public final class OidcAdaptorFilterFactory implements FilterFactory<OidcAdaptorSpec> {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_ANSWER = 256 * 1024;

    private final UpstreamClient client;
    private final Clock clock;

    public OidcAdaptorFilterFactory(UpstreamClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return OidcAdaptorSpec.KIND;
    }

    @Override
    public Class<OidcAdaptorSpec> specType() {
        return OidcAdaptorSpec.class;
    }

    @Override
    public Filter create(OidcAdaptorSpec spec) {
        // Made here, as the config is applied, not on an event loop at the first sign-in.
        if (client != null) {
            client.prepareTls();
        }
        return new OidcAdaptorFilter(spec, new SmallCall(client, TIMEOUT, MAX_ANSWER), clock, seededRandom());
    }

    /** Seeded here, off the event loops: drawing from it later never waits for the system's entropy. */
    private static SecureRandom seededRandom() {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(new SecureRandom().generateSeed(32));
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

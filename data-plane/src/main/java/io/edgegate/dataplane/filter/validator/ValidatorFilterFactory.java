package io.edgegate.dataplane.filter.validator;

import io.edgegate.dataplane.customdata.CustomDataView;
import io.edgegate.dataplane.pipeline.Filter;
import io.edgegate.dataplane.pipeline.FilterFactory;
import io.edgegate.dataplane.upstream.UpstreamClient;
import io.edgegate.spec.filter.validator.ValidatorSpec;
import java.time.Clock;
import java.util.concurrent.Executor;

/** Builds Validator filters; keys and rules are parsed once per config. */
public final class ValidatorFilterFactory implements FilterFactory<ValidatorSpec> {

    private final Clock clock;
    private final Executor blocking;
    private final CustomDataView customData;
    private final UpstreamClient upstream;
    private final UpstreamClient verified;

    /**
     * {@code blocking} runs the slow checks (bcrypt), never on an event loop; {@code customData}
     * holds the users of basicAuth in mode ETCD.
     */
    public ValidatorFilterFactory(Clock clock, Executor blocking, CustomDataView customData) {
        this(clock, blocking, customData, null, null);
    }

    /**
     * @param upstream what oauth2 introspects tokens over with {@code insecureTls}
     * @param verified what it introspects them over otherwise: the server's certificate is checked
     */
    public ValidatorFilterFactory(Clock clock, Executor blocking, CustomDataView customData,
                                  UpstreamClient upstream, UpstreamClient verified) {
        this.clock = clock;
        this.blocking = blocking;
        this.customData = customData;
        this.upstream = upstream;
        this.verified = verified;
    }

    @Override
    public String kind() {
        return ValidatorSpec.KIND;
    }

    @Override
    public Class<ValidatorSpec> specType() {
        return ValidatorSpec.class;
    }

    @Override
    public Filter create(ValidatorSpec spec) {
        return new ValidatorFilter(spec, clock, blocking, customData, upstream, verified);
    }
}

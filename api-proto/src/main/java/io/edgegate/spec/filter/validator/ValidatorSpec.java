package io.edgegate.spec.filter.validator;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.pipeline.FilterSpec;
import io.edgegate.spec.pipeline.FilterSpecKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Validator filter (Easegress format): a request passes only if every configured check
 * holds — {@code headers} (each named header's value), {@code jwt}, {@code signature}, {@code basicAuth}. A refused request gets
 * 401 (with {@code WWW-Authenticate}) or 400 for malformed credentials, and the result
 * {@code invalid}.
 */
public record ValidatorSpec(String name, Map<String, HeaderRuleSpec> headers, Optional<JwtSpec> jwt,
                            Optional<SignatureSpec> signature, Optional<BasicAuthSpec> basicAuth, Optional<OAuth2Spec> oauth2)
        implements FilterSpec {

    public static final String KIND = "Validator";
    public static final String RESULT_INVALID = "invalid";
    public static final FilterSpecKind SPEC_KIND = new FilterSpecKind(KIND, Set.of(RESULT_INVALID), ValidatorSpec::decode);

    public ValidatorSpec {
        headers = Map.copyOf(headers);
    }

    @Override
    public String kind() {
        return KIND;
    }

    static ValidatorSpec decode(String name, SpecObject o, ObjectKind pipelineKind) {
        Map<String, HeaderRuleSpec> headers = new LinkedHashMap<>();
        o.object("headers").ifPresent(h -> {
            for (String key : h.keys()) {
                headers.put(key, HeaderRuleSpec.decode(h.field(key).asObject()));
            }
        });
        Optional<JwtSpec> jwt = o.object("jwt").map(JwtSpec::decode);
        Optional<SignatureSpec> signature = o.object("signature").map(SignatureSpec::decode);
        Optional<BasicAuthSpec> basicAuth = o.object("basicAuth").map(BasicAuthSpec::decode);
        Optional<OAuth2Spec> oauth2 = o.object("oauth2").map(OAuth2Spec::decode);
        if (headers.isEmpty() && jwt.isEmpty() && signature.isEmpty() && basicAuth.isEmpty() && oauth2.isEmpty()) {
            o.error("a Validator needs something to check: headers, jwt, signature, basicAuth or oauth2");
        }
        return new ValidatorSpec(name, headers, jwt, signature, basicAuth, oauth2);
    }
}

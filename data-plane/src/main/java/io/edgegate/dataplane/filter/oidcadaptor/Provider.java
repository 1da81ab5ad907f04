package io.edgegate.dataplane.filter.oidcadaptor;

import java.net.URI;
import java.util.Optional;

/** Where an OpenID provider signs users in, and how its ID tokens are checked. */
record Provider(URI authorizationEndpoint, URI tokenEndpoint, Optional<URI> userinfoEndpoint, String scope, Optional<String> issuer,
                JsonWebKeys keys) {
}

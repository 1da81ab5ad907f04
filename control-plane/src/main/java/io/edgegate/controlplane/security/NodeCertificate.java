package io.edgegate.controlplane.security;

import java.time.Instant;

/** What a config stream's client certificate says: the node it names, its serial and when it expires. */
public record NodeCertificate(String nodeId, String serial, Instant notAfter) {
}

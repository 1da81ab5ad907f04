package io.edgegate.controlplane.api;

import io.edgegate.spec.DecodedObject;
import io.edgegate.spec.codec.SourceDocument;

/** A validated object with the document it came from, for messages. */
record DecodedDocument(SourceDocument source, DecodedObject object) {
}

package io.edgegate.controlplane.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.api.v1.Document;
import io.edgegate.controlplane.secrets.Redaction;
import io.edgegate.controlplane.secrets.SecretFields;
import io.edgegate.spec.DecodedObject;
import io.edgegate.spec.ObjectDecoder;
import io.edgegate.spec.ObjectId;
import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.DecodeMemo;
import io.edgegate.spec.codec.DocumentParser;
import io.edgegate.spec.codec.SourceDocument;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecProblem;
import io.edgegate.spec.codec.ValidationMode;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates every document of a request before anything is written. All problems of all
 * documents are reported together, each prefixed with where it is
 * ({@code pipeline.yaml, document 2 (HTTPPipeline/p): filters[0]...}).
 */
final class RequestDecoder {

    private final DocumentParser parser;
    private final ObjectDecoder decoder;
    private final Redaction redaction;
    private final DecodeMemos memos = new DecodeMemos();

    RequestDecoder(DocumentParser parser, ObjectDecoder decoder, Redaction redaction) {
        this.parser = parser;
        this.decoder = decoder;
        this.redaction = redaction;
    }

    /** One document of a request, parsed once: into its tree, or into why it does not parse. */
    record ParsedDocument(SourceDocument source, ObjectNode tree, SpecException problem) {
    }

    /**
     * The request's documents, each parsed once: whether they hold redaction markers is asked
     * before they are decoded, and parsing a generated server of megabytes is most of an apply.
     */
    List<ParsedDocument> parse(List<Document> documents) {
        if (documents.isEmpty()) {
            throw new ApiException(Status.Code.INVALID_ARGUMENT, "no documents given");
        }
        List<ParsedDocument> parsed = new ArrayList<>();
        for (Document document : documents) {
            SourceDocument source = source(document);
            try {
                parsed.add(new ParsedDocument(source, parser.parse(source), null));
            } catch (SpecException e) {
                parsed.add(new ParsedDocument(source, null, e));
            }
        }
        return parsed;
    }

    /**
     * Decodes the parsed documents, first putting back the secrets of {@code stored} objects
     * wherever a document holds their unchanged redaction marker. A document's tree is taken
     * over: decoding may remove its unknown keys (in WARN mode), so it is decoded once.
     */
    List<DecodedDocument> decode(List<ParsedDocument> documents, ValidationMode mode, Map<ObjectId, ObjectNode> stored) {
        List<String> errors = new ArrayList<>();
        List<DecodedDocument> decoded = new ArrayList<>();
        for (ParsedDocument document : documents) {
            SourceDocument source = document.source();
            try {
                if (document.problem() != null) {
                    throw document.problem();
                }
                ObjectNode tree = document.tree();
                List<String> lost = restoreSecrets(tree, stored);
                if (!lost.isEmpty()) {
                    errors.add(source.label() + describeIdentity(tree) + ": " + String.join(", ", lost)
                            + ": holds a redaction marker that matches no stored secret of this object in that field (a secret stays in its"
                            + " kind of field, and one a node sends somewhere stays with that endPoint, OIDC provider or pool of servers); write the secret itself");
                    continue;
                }
                decoded.add(new DecodedDocument(source, decodeRemembering(tree, mode)));
            } catch (SpecException e) {
                String where = source.label() + describeIdentity(document.tree());
                e.problems().forEach(p -> errors.add(where + ": " + p));
            }
        }
        errors.addAll(duplicates(decoded));
        if (!errors.isEmpty()) {
            throw new ApiException(Status.Code.INVALID_ARGUMENT, String.join("\n", errors));
        }
        return decoded;
    }

    /** Decodes with what the last decode of the same object recorded (kept even when this one fails: it is only a cache). */
    private DecodedObject decodeRemembering(ObjectNode tree, ValidationMode mode) throws SpecException {
        ObjectId id;
        try {
            id = ObjectDecoder.identify(tree);
        } catch (SpecException e) {
            return decoder.decode(tree, mode);
        }
        DecodeMemo memo = memos.next(id);
        try {
            return decoder.decode(tree, mode, memo);
        } finally {
            memos.keep(id, memo);
        }
    }

    /** The objects whose documents hold redaction markers: their stored secrets are needed to decode them. */
    List<ObjectId> holdingMarkers(List<ParsedDocument> documents) {
        List<ObjectId> ids = new ArrayList<>();
        for (ParsedDocument document : documents) {
            if (document.tree() == null) {
                continue; // Reported by decode, with every other problem.
            }
            try {
                ObjectId id = ObjectDecoder.identify(document.tree());
                if (SecretFields.holdsMarkers(id.kind(), document.tree())) {
                    ids.add(id);
                }
            } catch (SpecException e) {
                // Reported by decode, with every other problem.
            }
        }
        return ids;
    }

    private List<String> restoreSecrets(ObjectNode tree, Map<ObjectId, ObjectNode> stored) {
        ObjectId id;
        try {
            id = ObjectDecoder.identify(tree);
        } catch (SpecException e) {
            return List.of();
        }
        if (!SecretFields.holdsMarkers(id.kind(), tree)) {
            return List.of();
        }
        return redaction.fields().restore(id.kind(), tree, Optional.ofNullable(stored.get(id)));
    }

    /** The objects named by documents to delete: only their name and kind must be valid. */
    List<ObjectId> identify(List<Document> documents) {
        List<String> errors = new ArrayList<>();
        List<ObjectId> ids = new ArrayList<>();
        for (Document document : documents) {
            SourceDocument source = source(document);
            try {
                ids.add(ObjectDecoder.identify(parser.parse(source)));
            } catch (SpecException e) {
                e.problems().forEach(p -> errors.add(source.label() + ": " + p));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiException(Status.Code.INVALID_ARGUMENT, String.join("\n", errors));
        }
        return ids;
    }

    static List<String> warnings(List<DecodedDocument> documents) {
        List<String> out = new ArrayList<>();
        for (DecodedDocument d : documents) {
            for (SpecProblem warning : d.object().warnings()) {
                out.add(d.source().label() + " (" + d.object().id() + "): " + warning);
            }
        }
        return out;
    }

    /** Names are unique per kind; the pipeline kinds share one namespace, as the service registry kinds do. */
    private static List<String> duplicates(List<DecodedDocument> decoded) {
        List<String> errors = new ArrayList<>();
        Map<String, DecodedDocument> seen = new HashMap<>();
        for (DecodedDocument d : decoded) {
            ObjectId id = d.object().id();
            ObjectKind namespace = id.kind().sharesNamesWith().filter(other -> other.ordinal() < id.kind().ordinal()).orElse(id.kind());
            String namespaceKey = namespace.kindName() + "/" + id.name();
            DecodedDocument first = seen.putIfAbsent(namespaceKey, d);
            if (first != null) {
                errors.add(d.source().label() + ": " + describeClash(id, first));
            }
        }
        return errors;
    }

    private static String describeClash(ObjectId id, DecodedDocument first) {
        ObjectId other = first.object().id();
        String what = other.kind() == id.kind() ? id + " is defined twice" : id + " clashes with " + other
                + " (" + id.kind().sharedNamesReason() + ")";
        return what + "; first in document " + first.source().index();
    }

    /** " (Kind/name)" of a parsed document when it says; "" for one that did not parse or names no valid kind. */
    private static String describeIdentity(ObjectNode tree) {
        if (tree == null) {
            return "";
        }
        try {
            return " (" + ObjectDecoder.identify(tree) + ")";
        } catch (SpecException e) {
            return "";
        }
    }

    private static SourceDocument source(Document document) {
        String name = document.getSource().isEmpty() ? "<request>" : document.getSource();
        return new SourceDocument(name, Math.max(1, document.getIndex()), Math.max(1, document.getFirstLine()), document.getText());
    }


}

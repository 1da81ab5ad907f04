package io.edgegate.spec;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgegate.spec.codec.DecodeContext;
import io.edgegate.spec.codec.DecodeMemo;
import io.edgegate.spec.customdata.CustomDataSpec;
import io.edgegate.spec.codec.KeySuggestions;
import io.edgegate.spec.codec.SpecException;
import io.edgegate.spec.codec.SpecNode;
import io.edgegate.spec.codec.SpecObject;
import io.edgegate.spec.codec.ValidationMode;
import io.edgegate.spec.pipeline.FilterSpecKinds;
import io.edgegate.spec.pipeline.PipelineSpec;
import io.edgegate.spec.registry.EtcdServiceRegistrySpec;
import io.edgegate.spec.registry.ZookeeperServiceRegistrySpec;
import io.edgegate.spec.server.HttpServerSpec;
import java.util.Optional;

/** Decodes and validates one parsed document into its spec. Shared by the control plane and the data plane. */
public final class ObjectDecoder {

    private final FilterSpecKinds filterKinds;

    public ObjectDecoder(FilterSpecKinds filterKinds) {
        this.filterKinds = requireNonNull(filterKinds, "filterKinds");
    }

    public FilterSpecKinds filterKinds() {
        return filterKinds;
    }

    /**
     * Decodes {@code document}. In {@link ValidationMode#WARN} mode unknown keys are removed from
     * {@code document} itself, so the caller stores exactly what was validated.
     */
    public DecodedObject decode(ObjectNode document, ValidationMode mode) throws SpecException {
        return decode(document, mode, DecodeMemo.NONE);
    }

    /** The same, reusing what {@code memo} holds of this object's last decode (and recording this one's in it). */
    public DecodedObject decode(ObjectNode document, ValidationMode mode, DecodeMemo memo) throws SpecException {
        DecodeContext context = new DecodeContext(mode, memo);
        SpecObject root = SpecNode.root(document, context).asObject();
        String name = Names.read(root, "name");
        String kindName = root.requiredString("kind");
        Optional<ObjectKind> kind = ObjectKind.byKindName(kindName);
        if (kind.isEmpty()) {
            if (!kindName.isEmpty()) {
                root.error("kind", unknownKind(kindName));
            }
            context.throwIfErrors();
        }
        MetaFields.read(root);
        ObjectSpec spec = switch (kind.orElseThrow()) {
            case HTTP_SERVER -> HttpServerSpec.decode(name, root);
            case HTTP_PIPELINE, PIPELINE -> PipelineSpec.decode(name, kind.get(), root, filterKinds);
            case CUSTOM_DATA -> CustomDataSpec.decode(name, root);
            case CUSTOM_DATA_KIND -> io.edgegate.spec.customdata.CustomDataKindSpec.decode(name, root);
            case GLOBAL_FILTER -> io.edgegate.spec.globalfilter.GlobalFilterSpec.decode(name, root, filterKinds);
            case ZOOKEEPER_SERVICE_REGISTRY -> ZookeeperServiceRegistrySpec.decode(name, root);
            case ETCD_SERVICE_REGISTRY -> EtcdServiceRegistrySpec.decode(name, root);
        };
        root.finish();
        context.throwIfErrors();
        return new DecodedObject(spec, document, context.warnings());
    }

    /** Reads only {@code name} and {@code kind}, for deleting the objects a file describes. */
    public static ObjectId identify(ObjectNode document) throws SpecException {
        DecodeContext context = new DecodeContext(ValidationMode.WARN);
        SpecObject root = SpecNode.root(document, context).asObject();
        String name = Names.read(root, "name");
        String kindName = root.requiredString("kind");
        Optional<ObjectKind> kind = ObjectKind.byKindName(kindName);
        if (kind.isEmpty() && !kindName.isEmpty()) {
            root.error("kind", unknownKind(kindName));
        }
        context.throwIfErrors();
        return new ObjectId(kind.orElseThrow(), name);
    }

    static String unknownKind(String kindName) {
        String known = String.join(", ", ObjectKind.kindNames());
        Optional<String> notYet = NotSupportedYet.objectKind(kindName);
        if (notYet.isPresent()) {
            return "kind '" + kindName + "' is not supported by EdgeGate yet: " + notYet.get() + " (known kinds: " + known + ")";
        }
        return KeySuggestions.closest(kindName, ObjectKind.kindNames())
                .map(s -> "unknown kind '" + kindName + "' (did you mean '" + s + "'? known kinds: " + known + ")")
                .orElseGet(() -> "unknown kind '" + kindName + "' (known kinds: " + known + ")");
    }
}

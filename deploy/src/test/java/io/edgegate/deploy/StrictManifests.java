package io.edgegate.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into fabric8's models the way the API server's strict field
 * validation would: fabric8 keeps any field it does not know in {@code additionalProperties},
 * so a misspelled key would pass silently; here that collector is taken away and an unknown
 * field fails the read, naming the field.
 */
final class StrictManifests {

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/Service", Service.class,
            "v1/Secret", Secret.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private final ObjectMapper strict = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .addModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                                                             BeanDeserializerBuilder builder) {
                    if (description.getBeanClass().getName().startsWith("io.fabric8.")) {
                        builder.setAnySetter(null);
                    }
                    return builder;
                }
            }))
            .build();

    /** Every object of every YAML document in {@code file}, in order. */
    List<HasMetadata> read(Path file) {
        try (var parser = new YAMLFactory().createParser(file.toFile())) {
            List<HasMetadata> objects = new ArrayList<>();
            for (JsonNode document : strict.readValues(parser, JsonNode.class).readAll()) {
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                objects.add(read(document, file));
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    private HasMetadata read(JsonNode document, Path file) throws IOException {
        String type = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> kind = KINDS.get(type);
        if (kind == null) {
            throw new IllegalArgumentException(file + ": no model for " + type);
        }
        return strict.treeToValue(document, kind);
    }
}

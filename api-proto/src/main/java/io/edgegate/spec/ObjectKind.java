package io.edgegate.spec;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of object the control plane stores, with kubectl-style aliases for egctl. */
public enum ObjectKind {
    HTTP_SERVER("HTTPServer", List.of("hs", "httpserver", "httpservers"), "a listener and its routing rules"),
    HTTP_PIPELINE("HTTPPipeline", List.of("hp", "httppipeline", "httppipelines"), "v1 pipeline: flow + filters"),
    PIPELINE("Pipeline", List.of("pl", "pipeline", "pipelines"), "v2 pipeline: filters + flow"),
    GLOBAL_FILTER("GlobalFilter", List.of("gf", "globalfilter", "globalfilters"),
            "pipelines run before and after the pipeline of every request of the servers naming it"),
    CUSTOM_DATA("CustomData", List.of("cd", "customdata"), "records filters read at run time (e.g. basicAuth users)"),
    CUSTOM_DATA_KIND("CustomDataKind", List.of("cdk", "customdatakind", "customdatakinds"),
            "the id field and JSON schema of the records of the CustomData of the same name"),
    ZOOKEEPER_SERVICE_REGISTRY("ZookeeperServiceRegistry", List.of("zksr", "zookeeperserviceregistry"),
            "service instances in ZooKeeper, for Proxy pools"),
    ETCD_SERVICE_REGISTRY("EtcdServiceRegistry", List.of("etcdsr", "etcdserviceregistry"), "service instances in etcd, for Proxy pools");

    private final String kindName;
    private final List<String> aliases;
    private final String description;

    ObjectKind(String kindName, List<String> aliases, String description) {
        this.kindName = kindName;
        this.aliases = aliases;
        this.description = description;
    }

    /** The name written in documents, e.g. {@code HTTPServer}. */
    public String kindName() {
        return kindName;
    }

    public List<String> aliases() {
        return aliases;
    }

    public String description() {
        return description;
    }

    /** Both pipeline kinds share one namespace, because HTTPServer rules name a backend without its kind. */
    public boolean isPipeline() {
        return this == HTTP_PIPELINE || this == PIPELINE;
    }

    /**
     * The kind whose objects share this kind's names, if any: the two pipeline kinds (HTTPServer rules
     * name a backend without its kind) and the two service registry kinds (Proxy pools name a registry
     * without its kind).
     */
    public Optional<ObjectKind> sharesNamesWith() {
        return switch (this) {
            case HTTP_PIPELINE -> Optional.of(PIPELINE);
            case PIPELINE -> Optional.of(HTTP_PIPELINE);
            case ZOOKEEPER_SERVICE_REGISTRY -> Optional.of(ETCD_SERVICE_REGISTRY);
            case ETCD_SERVICE_REGISTRY -> Optional.of(ZOOKEEPER_SERVICE_REGISTRY);
            default -> Optional.empty();
        };
    }

    /** Why this kind shares its names (see {@link #sharesNamesWith()}); empty for kinds that do not. */
    public String sharedNamesReason() {
        if (isPipeline()) {
            return "pipelines of both kinds share one namespace, since HTTPServer backends name them without a kind";
        }
        return sharesNamesWith().isPresent()
                ? "service registries of both kinds share one namespace, since Proxy pools name them without a kind" : "";
    }

    /** Exact kind as written in a document. */
    public static Optional<ObjectKind> byKindName(String name) {
        return Arrays.stream(values()).filter(k -> k.kindName.equals(name)).findFirst();
    }

    /** What a person types on the command line: the kind in any case, or an alias. */
    public static Optional<ObjectKind> lookup(String typed) {
        String lowered = typed.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.kindName.toLowerCase(Locale.ROOT).equals(lowered) || k.aliases.contains(lowered))
                .findFirst();
    }

    public static List<String> kindNames() {
        return Arrays.stream(values()).map(ObjectKind::kindName).toList();
    }

    @Override
    public String toString() {
        return kindName;
    }
}

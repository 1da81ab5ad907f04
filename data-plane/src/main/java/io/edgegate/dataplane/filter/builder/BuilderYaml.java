package io.edgegate.dataplane.filter.builder;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Readers of a builder's rendered YAML that type plain scalars as Easegress's YAML library
 * (megaease/yaml, a yaml.v3 fork) does, not by SnakeYAML's YAML 1.1 rules: {@code yes}, {@code no},
 * {@code on}, {@code off}, {@code 10:30} and dates stay strings.
 */
final class BuilderYaml {

    private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    /** What yaml.v3 finds by name before it tries numbers: infinities and not-a-number. */
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

    private BuilderYaml() {
    }

    /** Scalars typed as yaml.v3 types them for an interface{} (DataBuilder): booleans, integers, floats, null, else strings. */
    static Yaml typed() {
        LoaderOptions options = new LoaderOptions();
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new TypedConstructor(options), new Representer(dumper), dumper, options, typedResolver());
    }

    /** The tag a plain scalar of this text gets from yaml.v3: numbers are decided by Go's parsers, not by a pattern. */
    static Resolver typedResolver() {
        return new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.BOOL, BOOL, "tfTF");
                addImplicitResolver(Tag.FLOAT, SPECIAL_FLOAT, "-+.");
                nullsAndMerges(this);
            }

            @Override
            public Tag resolve(NodeId kind, String value, boolean implicit) {
                Tag tag = super.resolve(kind, value, implicit);
                if (kind != NodeId.scalar || !implicit || !Tag.STR.equals(tag)) {
                    return tag;
                }
                Object number = GoNumbers.number(value);
                return number instanceof Double ? Tag.FLOAT : number != null ? Tag.INT : Tag.STR;
            }
        };
    }

    /** SnakeYAML's safe constructor with yaml.v3's integers and decimal floats. */
    private static final class TypedConstructor extends NodeConstructor {

        TypedConstructor(LoaderOptions options) {
            super(options);
            this.yamlConstructors.put(Tag.INT, new GoNumber(this.yamlConstructors.get(Tag.INT), false));
            this.yamlConstructors.put(Tag.FLOAT, new GoNumber(this.yamlConstructors.get(Tag.FLOAT), true));
        }

        /** A scalar Go reads as a number becomes that number; anything else (an explicit tag's odd text) as SnakeYAML reads it. */
        private final class GoNumber extends AbstractConstruct {

            private final Construct snakeYaml;
            /** A float's tag makes an integer's text a float ({@code !!float 404}), as yaml.v3 converts it. */
            private final boolean floating;

            GoNumber(Construct snakeYaml, boolean floating) {
                this.snakeYaml = snakeYaml;
                this.floating = floating;
            }

            @Override
            public Object construct(Node node) {
                Object number = GoNumbers.number(constructScalar((ScalarNode) node));
                if (number == null) {
                    return snakeYaml.construct(node);
                }
                return floating && !(number instanceof Double) ? (Object) ((Number) number).doubleValue() : number;
            }
        }
    }

    /**
     * Every plain scalar a string (null aside): a request's or response's fields are strings, and yaml.v3 puts any
     * scalar's text into a string field ({@code X-User-Id: [42]} is "42", {@code body: 007} is "007").
     */
    static Yaml text() {
        return yaml(textResolver());
    }

    /** The node tree of {@code rendered} as {@link #text()} composes it: null when it holds no document. */
    static Node composeText(String rendered) {
        LoaderOptions options = new LoaderOptions();
        return new Composer(new ParserImpl(new StreamReader(rendered), options), textResolver(), options).getSingleNode();
    }

    /** A node of {@link #composeText} made into values as {@link #text()} makes them (its root: as {@code load} does). */
    static Object constructText(Node node) {
        if (node == null || Tag.NULL.equals(node.getTag())) {
            return null;
        }
        return new NodeConstructor(new LoaderOptions()).construct(node);
    }

    /** A plain or quoted scalar of {@link #composeText} as {@link #typed()} reads it. */
    static Object constructTyped(ScalarNode node) {
        Tag tag = typedResolver().resolve(NodeId.scalar, node.getValue(), node.isPlain());
        return new TypedConstructor(new LoaderOptions())
                .construct(new ScalarNode(tag, node.getValue(), node.getStartMark(), node.getEndMark(), node.getScalarStyle()));
    }

    /** SnakeYAML's safe constructor, given a node already composed. */
    private static class NodeConstructor extends SafeConstructor {

        NodeConstructor(LoaderOptions options) {
            super(options);
        }

        Object construct(Node node) {
            return constructDocument(node);
        }
    }

    private static Resolver textResolver() {
        return new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                nullsAndMerges(this);
            }
        };
    }

    private static void nullsAndMerges(Resolver resolver) {
        resolver.addImplicitResolver(Tag.NULL, Resolver.NULL, "~nN\0");
        resolver.addImplicitResolver(Tag.NULL, Resolver.EMPTY, null);
        resolver.addImplicitResolver(Tag.MERGE, Resolver.MERGE, "<");
    }

    private static Yaml yaml(Resolver resolver) {
        LoaderOptions options = new LoaderOptions();
        DumperOptions dumper = new DumperOptions();
        return new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, resolver);
    }
}

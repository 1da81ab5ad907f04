package io.edgegate.dataplane.filter.builder;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Readers of a builder's rendered YAML that type plain scalars as Easegress's YAML library
 * (megaease/yaml, a yaml.v3 fork) does, not by SnakeYAML's YAML 1.1 rules: {@code yes}, {@code no},
 * {@code on}, {@code off}, {@code 10:30} and dates stay strings.
 */
final class BuilderYaml {

    private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
    /** Decimal, 0x hex, 0b binary and 0-prefixed octal, as Go's ParseInt with base 0 reads them. */
    private static final Pattern INT = Pattern.compile("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$");
    /**
     * yaml.v3's float: also digits that are no integer Go reads ({@code 09}, one too large for 64 bits), tried
     * after {@link #INT}.
     */
    private static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:\\.[0-9_]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
            + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

    private BuilderYaml() {
    }

    /** Scalars typed as yaml.v3 types them for an interface{} (DataBuilder): booleans, integers, floats, null, else strings. */
    static Yaml typed() {
        return yaml(new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.BOOL, BOOL, "tfTF");
                addImplicitResolver(Tag.INT, INT, "-+0123456789");
                addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
                nullsAndMerges(this);
            }
        });
    }

    /**
     * Every plain scalar a string (null aside): a request's or response's fields are strings, and yaml.v3 puts any
     * scalar's text into a string field ({@code X-User-Id: [42]} is "42", {@code body: 007} is "007").
     */
    static Yaml text() {
        return yaml(new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                nullsAndMerges(this);
            }
        });
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

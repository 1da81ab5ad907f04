package io.edgegate.cli;

import io.edgegate.spec.codec.GoDuration;
import java.time.Duration;
import picocli.CommandLine;

/** Go-style durations on a command line, as in the YAML: {@code 500ms}, {@code 30s}, {@code 2m}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return GoDuration.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}

package io.edgegate.spec.pipeline;

import io.edgegate.spec.ObjectKind;
import io.edgegate.spec.codec.SpecObject;

/** Reads a filter's own fields ({@code name} and {@code kind} are already read). */
@FunctionalInterface
public interface FilterSpecDecoder {

    FilterSpec decode(String name, SpecObject object, ObjectKind pipelineKind);
}

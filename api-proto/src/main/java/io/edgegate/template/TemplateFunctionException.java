package io.edgegate.template;

/** A template function or method failed; the template stops with "error calling NAME: message". */
public final class TemplateFunctionException extends RuntimeException {

    public TemplateFunctionException(String message) {
        super(message);
    }
}

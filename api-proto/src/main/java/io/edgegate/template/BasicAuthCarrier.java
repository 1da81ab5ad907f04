package io.edgegate.template;

/** A request a template's {@code username} function can read Basic credentials from. */
public interface BasicAuthCarrier {

    /** The user name of the request's Basic Authorization header; empty when it has none. */
    String basicAuthUsername();
}

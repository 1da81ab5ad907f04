package io.edgegate.dataplane.pipeline;

/**
 * A filter tried to answer a request that was already answered, and the flow did not jump
 * from that answer to it. Refused rather than letting the later answer silently win: the
 * usual cause is a flow that goes on after an answering filter (add {@code END} or a
 * {@code jumpIf} after it).
 */
public final class SecondAnswerException extends IllegalStateException {

    SecondAnswerException(String answeredBy, String answeringAgain) {
        super("filter '" + answeringAgain + "' answered a request that filter '" + answeredBy
                + "' had already answered; end the flow after '" + answeredBy + "' (END or jumpIf)");
    }
}

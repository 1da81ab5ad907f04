/**
 * The pipeline engine: filters run in the order of the flow, on the client connection's event
 * loop.
 *
 * <h2>Flow semantics (Easegress's rule)</h2>
 * <ul>
 *   <li>An empty result moves to the next step.</li>
 *   <li>A result the step's {@code jumpIf} names moves to that step, or ends the flow on
 *       {@code END}. Jumps go forward only (checked when the pipeline is decoded).</li>
 *   <li><b>Any other result ends the flow.</b> A filter that refuses a request (a Validator's
 *       {@code invalid}, a RateLimiter's {@code rateLimited}, a Proxy's {@code serverError})
 *       stops it even when the flow has no {@code jumpIf}: forgetting an optional key must not
 *       open the door. {@code jumpIf} exists to send a result somewhere else, such as a
 *       fallback Mock.</li>
 *   <li>{@code END} as a step ends the flow where it stands, e.g. after a Proxy that is
 *       followed by fallback steps only jumps lead to.</li>
 * </ul>
 *
 * <h2>One answer per request</h2>
 * A filter answers with {@link io.edgegate.dataplane.pipeline.RequestContext#respond}. A request
 * that is answered cannot be answered again unless the flow jumped from the answering step on
 * its result: then the step the jump leads to may answer instead (a fallback replacing a 503).
 * Any other second answer is refused with
 * {@link io.edgegate.dataplane.pipeline.SecondAnswerException}: the filter fails, the client
 * gets 500, the failure is logged and counted per filter ({@code egctl describe}), and tests
 * fail. Filters that change an answer without replacing it (a ResponseAdaptor) revise it with
 * {@link io.edgegate.dataplane.pipeline.RequestContext#reviseResponse}. A refusing filter
 * leaves the request body alone: the connection drains it after the answer, or a filter a jump
 * leads to (another Proxy) still gets it whole.
 */
package io.edgegate.dataplane.pipeline;

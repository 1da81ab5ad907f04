package io.edgegate.dataplane.filter.builder;

import io.edgegate.dataplane.pipeline.RequestContext;
import io.edgegate.spec.filter.builder.BuilderTemplate;
import io.edgegate.template.Template;
import io.edgegate.template.TemplateException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.edgegate.async.Causes;

/**
 * Runs a builder's template for a request: reads bodies first when the template mentions one,
 * renders, and hands the text on. A failure (a body that cannot be read, a template error, output
 * that makes no request) is logged, answers the client 500 unless it already has an answer, and
 * returns {@code buildErr}, which a {@code jumpIf} can take elsewhere.
 */
public final class BuilderRun {

    public static final String BUILD_ERR = "buildErr";
    private static final Logger log = LoggerFactory.getLogger(BuilderRun.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    private final String kind;
    private final String filter;
    private final Template template;
    private final boolean readsBodies;
    private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);

    public BuilderRun(String kind, String filter, BuilderTemplate template) {
        this.kind = kind;
        this.filter = filter;
        this.template = template.compile();
        // Only a template that names a body member can read one: others do not make the filter buffer bodies.
        this.readsBodies = template.source().contains("Body");
    }

    /** Renders and applies {@code apply} to the text; its result is the filter's. */
    public CompletionStage<String> run(RequestContext context, Function<String, String> apply) {
        return runAsync(context, rendered -> CompletableFuture.completedFuture(apply.apply(rendered)));
    }

    /** As {@link #run}, for work on the text that may itself complete later. */
    public CompletionStage<String> runAsync(RequestContext context, Function<String, CompletionStage<String>> apply) {
        if (!readsBodies) {
            return render(context, apply);
        }
        return BuilderData.readBodies(context).handle((ready, error) -> error).thenCompose(error -> {
            if (error != null) {
                return CompletableFuture.completedFuture(
                        failed(context, "cannot read a body: " + Causes.unwrap(error).getMessage()));
            }
            return render(context, apply);
        });
    }

    private CompletionStage<String> render(RequestContext context, Function<String, CompletionStage<String>> apply) {
        String rendered;
        try {
            rendered = template.execute(BuilderData.of(context));
        } catch (TemplateException e) {
            return CompletableFuture.completedFuture(failed(context, "template: " + e.getMessage()));
        }
        try {
            return apply.apply(rendered);
        } catch (BuiltMessages.BuildException e) {
            return CompletableFuture.completedFuture(failed(context, e.getMessage()));
        }
    }

    /**
     * Copies what another namespace holds once its body is read whole ({@code sourceNamespace});
     * a body that cannot be read fails as a template would.
     */
    public static CompletionStage<String> copy(RequestContext context, CompletableFuture<Void> bodyRead, Runnable copy) {
        return bodyRead.handle((ready, error) -> {
            if (error != null) {
                log.debug("cannot read the body to copy: {}", error.toString());
                context.answerIfUnanswered(FAILED_STATUS, "");
                return BUILD_ERR;
            }
            copy.run();
            return "";
        });
    }

    /** As Easegress v2: its builders set no response on buildErr, and its HTTPServer answers a flow without one 503. */
    static final HttpResponseStatus FAILED_STATUS = HttpResponseStatus.SERVICE_UNAVAILABLE;

    String failed(RequestContext context, String why) {
        long now = System.nanoTime();
        long last = lastLogged.get();
        if (now - last >= LOG_INTERVAL_NANOS && lastLogged.compareAndSet(last, now)) {
            log.warn("{}({}): {}", kind, filter, why);
        }
        context.answerIfUnanswered(FAILED_STATUS, "");
        return BUILD_ERR;
    }
}

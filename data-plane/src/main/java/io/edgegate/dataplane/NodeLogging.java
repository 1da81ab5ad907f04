package io.edgegate.dataplane;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LogbackServiceProvider;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * SLF4J's binding to logback for a running node ({@code -Dslf4j.provider}, which
 * {@link DataPlaneMain} sets), with the node's {@link ConsoleLogging}. Found through
 * ServiceLoader, a binding and logback's configurators are looked for in every jar of the class
 * path; on a node's hundred jars that opens each of them, ~0.13 s of its start. A logback file
 * given with {@code -Dlogback.configurationFile} is still read, by logback's own initializer.
 */
public final class NodeLogging implements SLF4JServiceProvider {

    private final LoggerContext context = new LoggerContext();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final LogbackMDCAdapter mdc = new LogbackMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return context;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return LogbackServiceProvider.REQUESTED_API_VERSION;
    }

    @Override
    public void initialize() {
        context.setName("default");
        context.setMDCAdapter(mdc);
        if (System.getProperty("logback.configurationFile") != null) {
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                ConsoleLogging.setUp(context);
            }
            // As logback's own binding does: a file with mistakes is reported, not silently half-applied.
            if (!StatusUtil.contextHasStatusListener(context)) {
                StatusPrinter.printInCaseOfErrorsOrWarnings(context);
            }
        } else {
            ConsoleLogging.setUp(context);
        }
        context.start();
    }
}

package io.edgegate.dataplane;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;

/**
 * The node's logging, set up in code rather than from a logback.xml: reading XML loads some 350
 * classes and takes a tenth of a second of every start. One line per event on standard error,
 * at {@code EDGEGATE_LOG_LEVEL} (a system property or environment variable; INFO by default),
 * libraries at WARN. A logback file given with {@code -Dlogback.configurationFile}, or a
 * {@code logback-test.xml} on the class path, is used instead.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    private static final String LEVEL_VARIABLE = "EDGEGATE_LOG_LEVEL";
    private static final List<String> QUIET_LIBRARIES = List.of("io.netty", "io.grpc", "io.vertx", "io.etcd");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || ConsoleLogging.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        setUp(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The node's console logging, set up on {@code context}. */
    static void setUp(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(configuredLevel(), Level.INFO));
        root.addAppender(stderr);
        QUIET_LIBRARIES.forEach(name -> context.getLogger(name).setLevel(Level.WARN));
    }

    private static String configuredLevel() {
        String level = System.getProperty(LEVEL_VARIABLE);
        return level != null ? level : System.getenv(LEVEL_VARIABLE);
    }
}

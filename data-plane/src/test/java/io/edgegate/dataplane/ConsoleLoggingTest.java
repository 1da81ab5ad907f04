package io.edgegate.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The node's logging as a started node has it: found by logback on its own, lines on standard error, libraries quiet. */
class ConsoleLoggingTest {

    @Test
    void theNodeLogsToStandardErrorAtInfoWithLibrariesAtWarn() {
        LoggerContext running = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = running.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("STDERR")).as("set up by ConsoleLogging, found through the service loader")
                .isInstanceOfSatisfying(ConsoleAppender.class, appender -> assertThat(appender.getTarget()).isEqualTo("System.err"));
        assertThat(running.getLogger("io.netty.channel").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(running.getLogger("io.edgegate.dataplane.DataPlane").getEffectiveLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void theLevelComesFromEdgegateLogLevel() {
        LoggerContext context = new LoggerContext();
        assertThat(configure(context, "EDGEGATE_LOG_LEVEL", "DEBUG")).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void aLogbackFileGivenOnTheCommandLineWins() {
        LoggerContext context = new LoggerContext();
        assertThat(configure(context, "logback.configurationFile", "/etc/edgegate/logback.xml"))
                .isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }

    /** Runs ConsoleLogging on {@code context} with the system property {@code name} set to {@code value}. */
    private static Configurator.ExecutionStatus configure(LoggerContext context, String name, String value) {
        System.setProperty(name, value);
        try {
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);
            return logging.configure(context);
        } finally {
            System.clearProperty(name);
        }
    }
}

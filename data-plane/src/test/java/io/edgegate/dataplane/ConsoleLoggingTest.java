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
        System.setProperty("EDGEGATE_LOG_LEVEL", "DEBUG");
        try {
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        } finally {
            System.clearProperty("EDGEGATE_LOG_LEVEL");
        }
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void aLogbackFileGivenOnTheCommandLineWins() {
        LoggerContext context = new LoggerContext();
        System.setProperty("logback.configurationFile", "/etc/edgegate/logback.xml");
        try {
            ConsoleLogging logging = new ConsoleLogging();
            logging.setContext(context);
            assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        } finally {
            System.clearProperty("logback.configurationFile");
        }
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }
}

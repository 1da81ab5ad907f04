package io.edgegate.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binding a started node names in slf4j.provider: the node's console logging, or a logback file the operator gave. */
class NodeLoggingTest {

    @Test
    void aNodeLogsToStandardErrorWithLibrariesQuiet() {
        NodeLogging logging = new NodeLogging();
        logging.initialize();

        LoggerContext context = (LoggerContext) logging.getLoggerFactory();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
                .isInstanceOfSatisfying(ConsoleAppender.class, appender -> assertThat(appender.getTarget()).isEqualTo("System.err"));
        assertThat(context.getLogger("io.grpc.internal").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.isStarted()).isTrue();
        assertThat(logging.getMDCAdapter()).isNotNull();
    }

    @Test
    void mistakesInTheLogbackFileAreReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, "<configuration><appender name=\"X\" class=\"no.such.Appender\"/><root><appender-ref ref=\"X\"/></root></configuration>");
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setProperty("logback.configurationFile", file.toString());
        // Where logback prints its status (standard output, unless told otherwise).
        ch.qos.logback.core.util.StatusPrinter.setPrintStream(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            new NodeLogging().initialize();
        } finally {
            ch.qos.logback.core.util.StatusPrinter.setPrintStream(System.out);
            System.clearProperty("logback.configurationFile");
        }
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("no.such.Appender");
    }

    @Test
    void aLogbackFileGivenOnTheCommandLineIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logback.xml");
        Files.writeString(file, """
                <configuration>
                  <appender name="FROM_FILE" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%msg%n</pattern></encoder>
                  </appender>
                  <root level="DEBUG"><appender-ref ref="FROM_FILE"/></root>
                </configuration>
                """);
        System.setProperty("logback.configurationFile", file.toString());
        try {
            NodeLogging logging = new NodeLogging();
            logging.initialize();
            Logger root = ((LoggerContext) logging.getLoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("FROM_FILE")).isNotNull();
            assertThat(root.getAppender("STDERR")).isNull();
            assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
        } finally {
            System.clearProperty("logback.configurationFile");
        }
    }
}

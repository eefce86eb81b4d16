package dev.thinkdiff.job;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/** Bad input on the command line gets a one-line error and exit code 2, not a stack trace. */
@ApplicationScoped
public class CommandLineSetup {

    static final int USAGE_ERROR = 2;

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create().setExecutionExceptionHandler((exception, commandLine, parseResult) -> {
            if (exception instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + exception.getMessage());
                return USAGE_ERROR;
            }
            throw exception;
        });
    }
}

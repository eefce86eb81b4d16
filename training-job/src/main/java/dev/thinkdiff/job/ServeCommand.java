package dev.thinkdiff.job;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the encode, decode and score functions on localhost (ports 8081-8083) on the configured "
                + "model store (the repository's models/ by default), and the playground page on port 8080, and keep "
                + "them running until Ctrl-C.")
public class ServeCommand implements Callable<Integer> {

    @Option(names = "--logs", defaultValue = "out/serve", description = "Directory of the functions' logs "
            + "(default: ${DEFAULT-VALUE}).")
    Path logs;

    @Option(names = "--playground-port", defaultValue = "8080", description = "Port of the playground page "
            + "(default: ${DEFAULT-VALUE}; 0: any free port).")
    int playgroundPort;

    @Override
    public Integer call() throws Exception {
        Path repository = Path.of("").toAbsolutePath();
        List<FunctionProcess> running = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running.forEach(FunctionProcess::close)));
        for (FunctionProcess.Function function : FunctionProcess.Function.values()) {
            running.add(FunctionProcess.start(repository, function, function.defaultPort(),
                    FunctionProcess.inheritedProperties(), logs.resolve(function.id() + ".log")));
        }
        Map<String, URI> bases = new LinkedHashMap<>();
        for (FunctionProcess process : running) {
            Duration ready = process.awaitReady(Duration.ofMinutes(3));
            bases.put(process.function().id(), process.base());
            System.out.printf("%-6s ready in %4.1f s: POST %s   (log: %s)%n", process.function().id(),
                    ready.toMillis() / 1000.0, process.endpoint(), logs.resolve(process.function().id() + ".log"));
        }
        try (PlaygroundServer page = PlaygroundServer.start(repository.resolve(PlaygroundCommand.PAGE),
                "127.0.0.1", playgroundPort, bases)) {
            System.out.println("playground: " + page.address());
            System.out.println("Ctrl-C stops them. See README.md (Functions) for a curl round trip.");
            for (FunctionProcess process : running) {
                process.waitFor();
            }
        }
        return 0;
    }
}

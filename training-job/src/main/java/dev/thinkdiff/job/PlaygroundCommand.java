package dev.thinkdiff.job;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "playground", mixinStandardHelpOptions = true,
        description = "Serve the playground page alone, in front of functions already running elsewhere (e.g. the "
                + "deployed services), until Ctrl-C.")
public class PlaygroundCommand implements Callable<Integer> {

    /** The page's files, relative to the repository (and to the image's working directory). */
    static final Path PAGE = Path.of("functions", "playground");

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: "
            + "${DEFAULT-VALUE}, this machine only; 0.0.0.0 in a container).")
    String host;

    @Option(names = "--encode", defaultValue = "http://127.0.0.1:8081", description = "Base URL of the encode "
            + "function (default: ${DEFAULT-VALUE}).")
    URI encode;

    @Option(names = "--decode", defaultValue = "http://127.0.0.1:8082", description = "Base URL of decode "
            + "(default: ${DEFAULT-VALUE}).")
    URI decode;

    @Option(names = "--score", defaultValue = "http://127.0.0.1:8083", description = "Base URL of score "
            + "(default: ${DEFAULT-VALUE}).")
    URI score;

    @Option(names = "--page", description = "Directory of the page's files (default: functions/playground).")
    Path page = PAGE;

    @Override
    public Integer call() throws Exception {
        Map<String, URI> functions = Map.of("encode", encode, "decode", decode, "score", score);
        try (PlaygroundServer server = PlaygroundServer.start(page, host, port, functions)) {
            System.out.println("playground: " + server.address());
            new CountDownLatch(1).await();
        }
        return 0;
    }
}

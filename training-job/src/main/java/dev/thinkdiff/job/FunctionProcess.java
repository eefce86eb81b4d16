package dev.thinkdiff.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One function application ({@code functions/{name}/target/quarkus-app}, as built by Maven) running as a child JVM on
 * a port, the way a serverless node runs it: for {@code serve}, the benchmark and the end-to-end tests. The child
 * inherits the environment (so {@code THINKDIFF_*} settings apply) and gets the given system properties.
 */
public final class FunctionProcess implements AutoCloseable {

    /** The three functions and their local ports. */
    public enum Function {
        ENCODE(8081), DECODE(8082), SCORE(8083);

        private final int defaultPort;

        Function(int defaultPort) {
            this.defaultPort = defaultPort;
        }

        /** "encode", "decode", "score": the module, the path and the log name. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String path() {
            return "/" + id();
        }

        public int defaultPort() {
            return defaultPort;
        }

        /** The function's runnable jar under the repository. */
        public Path jar(Path repository) {
            return repository.resolve("functions").resolve(id()).resolve("target/quarkus-app/quarkus-run.jar");
        }

        /**
         * The function's AppCDS archive beside its jar ({@code quarkus-app/app-cds.jsa}): the classes a start loaded
         * up to readiness, so a later start maps them instead of loading, verifying and linking them again.
         */
        public Path classData(Path repository) {
            return jar(repository).resolveSibling(CLASS_DATA);
        }

        /** The function's own JVM options ({@code functions/<id>/jvm.options}, a java @argfile), as in its image. */
        public Path jvmOptions(Path repository) {
            return repository.resolve("functions").resolve(id()).resolve(JVM_OPTIONS);
        }

        /** The JVM's argfiles, as its image's ENTRYPOINT passes them: every function's options, then its own. */
        public List<String> jvmArgfiles(Path repository) {
            return List.of("@" + commonJvmOptions(repository), "@" + jvmOptions(repository));
        }
    }

    /** Every function's JVM options ({@code functions/jvm.options}: the JIT's thresholds), before a function's own. */
    public static Path commonJvmOptions(Path repository) {
        return repository.resolve("functions").resolve(JVM_OPTIONS);
    }

    /** The archive's name in {@code quarkus-app/}, here and in the image (functions/Containerfile). */
    public static final String CLASS_DATA = "app-cds.jsa";

    /**
     * The JVM options files' name: every function's in {@code functions/}, a function's own (heap settings) beside its
     * module's pom; both copied into its image.
     */
    public static final String JVM_OPTIONS = "jvm.options";
    /** The key that makes a function exit once its models are loaded (0) or failed to load (1). */
    public static final String EXIT_WHEN_READY = "thinkdiff.serving.exit-when-ready";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Function function;
    private final Process process;
    private final URI base;
    private final long startedNanos;

    private FunctionProcess(Function function, Process process, URI base, long startedNanos) {
        this.function = function;
        this.process = process;
        this.base = base;
        this.startedNanos = startedNanos;
    }

    /**
     * Starts the function's jar from {@code repository} (its working directory, so the default store is
     * {@code repository/models}) on {@code port}, logging to {@code log}, mapping its class data if
     * {@link #ensureClassData} made it.
     */
    public static FunctionProcess start(Path repository, Function function, int port, Map<String, String> properties,
            Path log) {
        return start(repository, function, port, properties, log, true);
    }

    /**
     * Starts the function's jar as {@link #start(Path, Function, int, Map, Path)}, mapping its class data if
     * {@code classData} and the archive exists (a stale archive is refused by the JVM, which then loads classes as
     * without one).
     */
    public static FunctionProcess start(Path repository, Function function, int port, Map<String, String> properties,
            Path log, boolean classData) {
        List<String> command = command(repository, function, port, properties);
        Path archive = function.classData(repository);
        if (classData && Files.isRegularFile(archive)) {
            command.add(1, "-XX:SharedArchiveFile=" + archive);
        }
        return launch(repository, function, port, command, log);
    }

    /**
     * Makes the function's class-data archive if it is missing or older than the jar: a training start with
     * {@code -XX:ArchiveClassesAtExit} and {@value #EXIT_WHEN_READY}, which loads the models and exits, the JVM
     * writing every class loaded by then. Returns the archive, or null if the training start failed (the reason is
     * in {@code {log}.cds.log}; the functions then start without class data).
     */
    public static Path ensureClassData(Path repository, Function function, Map<String, String> properties, Path log)
            throws InterruptedException {
        Path archive = function.classData(repository);
        Path jar = function.jar(repository);
        try {
            if (Files.isRegularFile(archive) && Files.isRegularFile(jar)
                    && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return archive;
            }
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = command(repository, function, 0, properties);
        command.add(1, "-XX:ArchiveClassesAtExit=" + archive);
        command.add(2, "-D" + EXIT_WHEN_READY + "=true");
        Path training = log.resolveSibling(log.getFileName() + ".cds.log");
        FunctionProcess process = launch(repository, function, 0, command, training);
        if (!process.process.waitFor(5, TimeUnit.MINUTES)) {
            process.kill();
        }
        if (process.process.exitValue() != 0 || !Files.isRegularFile(archive)) {
            System.err.println(function.id() + ": no class data (" + training + ")");
            return null;
        }
        return archive;
    }

    private static List<String> command(Path repository, Function function, int port, Map<String, String> properties) {
        Path jar = function.jar(repository);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built; run ./mvnw -B -DskipTests -pl functions/"
                    + function.id() + " -am install");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(function.jvmArgfiles(repository));
        command.addAll(List.of("-Djava.awt.headless=true", "-Dquarkus.http.port=" + port));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    private static FunctionProcess launch(Path repository, Function function, int port, List<String> command,
            Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            long started = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(command).directory(repository.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            // As in the image (functions/Containerfile): few malloc arenas, or libtorch's small allocations spread
            // over one arena per request thread and the resident set creeps up.
            builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
            // As in the image: libtorch's OpenMP threads sleep when out of work instead of spinning. Spinning threads
            // of the loading parts, the warm-up and other processes on few cores starve each other: on this 2-core
            // machine under load, a warm decode took 3.2-6.4 s spinning, 0.37-0.45 s passive.
            builder.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
            Process process = builder.start();
            return new FunctionProcess(function, process, URI.create("http://127.0.0.1:" + port), started);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + function.jar(repository), e);
        }
    }

    /**
     * The {@code thinkdiff.*} and {@code ai.djl.*} system properties this JVM was given, to hand to the functions
     * (a store or thread setting given to {@code ./thinkdiff} applies to them too).
     */
    public static Map<String, String> inheritedProperties() {
        Properties all = System.getProperties();
        Map<String, String> inherited = new TreeMap<>();
        for (String key : all.stringPropertyNames()) {
            if (key.startsWith("thinkdiff.") || key.startsWith("ai.djl.")) {
                inherited.put(key, all.getProperty(key));
            }
        }
        return inherited;
    }

    public Function function() {
        return function;
    }

    /** {@code http://127.0.0.1:{port}}. */
    public URI base() {
        return base;
    }

    /** The function's own endpoint, e.g. {@code http://127.0.0.1:8081/encode}. */
    public URI endpoint() {
        return base.resolve(function.path());
    }

    /** Waits until {@code /q/health/ready} answers 200; returns the time since the process was started. */
    public Duration awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(base.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5))
                .build();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(function + " exited with " + process.exitValue());
            }
            try {
                HttpResponse<String> response = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
                last = response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(function + " not ready after " + timeout + ": " + last);
    }

    /** Time since the process was started. */
    public Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    /** The process's resident set size in KiB, from {@code /proc} (Linux). */
    public long residentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS for process " + process.pid());
    }

    /**
     * The CPU seconds (user and system, all threads) the process has used, from {@code /proc/{pid}/stat} (Linux, 100
     * ticks a second): on a shared machine, less dependent on the other load than the wall time.
     */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, utime 14 and stime 15 of the whole line
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the process to end (it runs until stopped). */
    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Kills the process at once (SIGKILL): no shutdown hook runs, as when a serverless node is lost. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Stops the function (SIGTERM, then SIGKILL after 20 s); returns its exit status (143 after a clean SIGTERM). */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    /** {@link #stop}, ignoring the status. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

package dev.thinkdiff.it.infra;

import dev.thinkdiff.engine.DjlRuntime;
import dev.thinkdiff.it.infra.AppConfigSources.App;
import dev.thinkdiff.job.FunctionProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two Containerfiles: non-root, credential-free, running the jar the build produces, configured by keys the apps read. */
class ContainerfileTest {

    private static final Pattern CREDENTIAL = Pattern.compile("(?i)secret|password|passwd|token|access_?key|credential|api_?key|private");
    /** Variables read by the JVM, the dynamic linker and the C library themselves, not by an application. */
    private static final Map<String, String> PLATFORM_VARIABLES = Map.of(
            "JAVA_TOOL_OPTIONS", "read by the JVM at start-up",
            "LD_LIBRARY_PATH", "read by the dynamic linker (the NVIDIA driver's libcuda under /usr/local/nvidia/lib64)",
            "MALLOC_ARENA_MAX", "read by glibc's malloc",
            "OMP_WAIT_POLICY", "read by libgomp, libtorch's OpenMP runtime");
    private static final String DJL_LIB_UTILS = "ai/djl/pytorch/jni/LibUtils.class";

    /** @param jvmOptions what the ENTRYPOINT passes the JVM before {@code -jar} */
    record Image(String containerfile, App app, String module, List<String> jvmOptions) {
    }

    private static final String CLASS_DATA = "/app/" + FunctionProcess.CLASS_DATA;
    private static final String JVM_OPTIONS = "/app/" + FunctionProcess.JVM_OPTIONS;
    private static final String COMMON_JVM_OPTIONS = "/app/functions-" + FunctionProcess.JVM_OPTIONS;

    private static final List<Image> IMAGES = List.of(
            new Image("functions/Containerfile", App.FUNCTIONS, "functions/${FUNCTION}",
                    List.of("@" + COMMON_JVM_OPTIONS, "@" + JVM_OPTIONS, "-XX:SharedArchiveFile=" + CLASS_DATA)),
            new Image("training-job/Containerfile", App.TRAINING_JOB, "training-job", List.of()));

    @Test
    void theImagesRunAsANonRootUser() throws IOException {
        for (Image image : IMAGES) {
            List<String> users = Containerfile.read(image.containerfile()).finalStage().all("USER");
            assertFalse(users.isEmpty(), image.containerfile());
            String user = users.get(users.size() - 1).split(":")[0];
            assertFalse(user.equals("root") || user.equals("0"), image.containerfile() + " runs as " + user);
        }
    }

    @Test
    void noCredentialIsBakedIntoAnImage() throws IOException {
        for (Image image : IMAGES) {
            Containerfile file = Containerfile.read(image.containerfile());
            file.env().forEach((name, value) ->
                    assertFalse(CREDENTIAL.matcher(name).find() || CREDENTIAL.matcher(value).find(), image + ": ENV " + name));
            for (String arg : file.all("ARG")) {
                assertFalse(CREDENTIAL.matcher(arg).find(), image + ": ARG " + arg);
            }
            for (String copy : file.all("COPY")) {
                assertFalse(copy.matches("(?i).*(\\.env|\\.pem|\\.p12|key\\.json|credentials|\\.aws|\\.config/gcloud)\\b.*"),
                        image + ": COPY " + copy);
            }
        }
    }

    @Test
    void theEntrypointRunsTheQuarkusRunJarThatPackageProduces() throws IOException {
        for (Image image : IMAGES) {
            Containerfile last = Containerfile.read(image.containerfile()).finalStage();
            List<String> entrypoint = last.entrypoint();
            int options = image.jvmOptions().size();
            assertEquals("java", entrypoint.get(0), image.containerfile());
            assertEquals(image.jvmOptions(), entrypoint.subList(1, 1 + options), image.containerfile());
            assertEquals("-jar", entrypoint.get(1 + options), image.containerfile());
            String jar = entrypoint.get(2 + options);
            assertEquals(3 + options, entrypoint.size(), "arguments come from CMD / the platform, not the ENTRYPOINT");
            // `./mvnw package` of a Quarkus module writes the fast-jar to <module>/target/quarkus-app/quarkus-run.jar;
            // the image copies that directory and runs the jar inside it.
            String appDir = jar.substring(0, jar.length() - "quarkus-run.jar".length());
            assertTrue(jar.endsWith("/quarkus-run.jar"), jar);
            assertTrue(last.all("COPY").contains(image.module() + "/target/quarkus-app/ " + appDir), image.containerfile()
                    + " must COPY " + image.module() + "/target/quarkus-app/ to " + appDir);
        }
        // The training job is packaged as a Quarkus fast-jar into that directory (no other package type or output).
        String pom = Files.readString(Repository.ROOT.resolve("training-job/pom.xml"));
        assertTrue(pom.contains("<artifactId>quarkus-maven-plugin</artifactId>") && pom.contains("<goal>build</goal>"));
        for (App app : App.values()) {
            for (Path properties : app.propertiesFiles()) {
                String text = Files.readString(properties);
                assertFalse(text.contains("quarkus.package."), properties + " changes the package type or its output");
            }
        }
        // The benchmark job runs the same jar of the training image, with its own command.
        String jar = Containerfile.read("training-job/Containerfile").finalStage().entrypoint().get(2);
        assertTrue(TerraformTree.shared().module("modules/benchmark-job").allCode().contains("exec java -jar " + jar + " "));
    }

    /**
     * Every function's JVM options and each function's own, the files {@code FunctionProcess} hands its processes,
     * are what its image copies to the argfiles the ENTRYPOINT reads, in the same order; and the JVM takes them (every
     * line an option or a comment).
     */
    @Test
    void theFunctionImageReadsTheFunctionsJvmOptions() throws Exception {
        Containerfile last = Containerfile.read("functions/Containerfile").finalStage();
        assertTrue(last.all("COPY").contains("functions/" + FunctionProcess.JVM_OPTIONS + " " + COMMON_JVM_OPTIONS),
                last.all("COPY").toString());
        assertTrue(last.all("COPY").contains("functions/${FUNCTION}/" + FunctionProcess.JVM_OPTIONS + " "
                + JVM_OPTIONS), last.all("COPY").toString());
        for (FunctionProcess.Function function : FunctionProcess.Function.values()) {
            List<String> argfiles = function.jvmArgfiles(Repository.ROOT);
            assertEquals(List.of("@" + FunctionProcess.commonJvmOptions(Repository.ROOT),
                    "@" + function.jvmOptions(Repository.ROOT)), argfiles, "the image's order");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(argfiles);
            command.add("-version");
            Process version = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(version.getInputStream().readAllBytes());
            assertEquals(0, version.waitFor(), argfiles + ": " + output);
        }
    }

    /**
     * The function image maps the class data its own build wrote: after the app is copied, one start of the same jar
     * by the same {@code java}, on the repository's models, with {@code -XX:ArchiveClassesAtExit} to the archive the
     * ENTRYPOINT maps and the serving key that exits once the models are loaded; the run keeps no model files.
     */
    @Test
    void theFunctionImageMapsTheClassDataItsBuildWrote() throws IOException {
        Containerfile last = Containerfile.read("functions/Containerfile").finalStage();
        List<String> entrypoint = last.entrypoint();
        assertTrue(entrypoint.contains("-XX:SharedArchiveFile=" + CLASS_DATA), entrypoint.toString());
        String jar = entrypoint.get(entrypoint.size() - 1);
        List<String> training = last.all("RUN").stream().filter(run -> run.contains("-XX:ArchiveClassesAtExit="))
                .toList();
        assertEquals(1, training.size(), "one class-data run: " + last.all("RUN"));
        String run = training.get(0);
        assertTrue(run.contains("java @" + COMMON_JVM_OPTIONS + " @" + JVM_OPTIONS + " -XX:ArchiveClassesAtExit="
                + CLASS_DATA + " "), run);
        assertTrue(run.contains("-D" + FunctionProcess.EXIT_WHEN_READY + "=true"), run);
        assertTrue(App.FUNCTIONS.reads("THINKDIFF_SERVING_EXIT_WHEN_READY"), "the functions read the exit key");
        assertTrue(run.contains(" -jar " + jar + " "), run + " must start the ENTRYPOINT's jar " + jar);
        assertTrue(run.contains("--mount=type=bind,source=models,target=/tmp/models")
                && run.contains("-Dthinkdiff.store.local.root=/tmp/models"), "the run loads the repository's models");
        assertTrue(run.contains("rm -rf " + last.env().get("THINKDIFF_STORE_CACHE_DIR")), "no model file is kept");
        int copied = last.instructions().indexOf("COPY functions/${FUNCTION}/target/quarkus-app/ /app/");
        assertTrue(copied >= 0 && copied < last.instructions().indexOf("RUN " + run), "the run follows the app's COPY");
        // The JVM refuses an archive whose class path differs from the run's: quarkus-run.jar in both, unmoved.
        assertEquals("/app/quarkus-run.jar", jar);
    }

    @Test
    void everyEnvironmentVariableTheImagesSetIsReadByTheAppDjlOrThePlatform() throws IOException {
        String djl = classConstants(DJL_LIB_UTILS);
        List<String> unread = new ArrayList<>();
        for (Image image : IMAGES) {
            Map<String, String> env = Containerfile.read(image.containerfile()).finalStage().env();
            assertFalse(env.containsKey("PYTORCH_VERSION"), "a PYTORCH_VERSION other than the jar's makes DJL download");
            for (String name : env.keySet()) {
                boolean read = name.startsWith("THINKDIFF_") || name.startsWith("QUARKUS_") ? image.app().reads(name)
                        : name.equals(DjlRuntime.CACHE_DIR) || (name.startsWith("PYTORCH_") && djl.contains(name))
                        || PLATFORM_VARIABLES.containsKey(name);
                if (!read) {
                    unread.add(image.containerfile() + ": " + name);
                }
            }
        }
        assertEquals(List.of(), unread);
    }

    @Test
    void theFunctionsListenOnThePortCloudRunSendsTo() throws IOException {
        Containerfile functions = Containerfile.read("functions/Containerfile").finalStage();
        Map<String, Object> locals = TerraformTree.shared().module("modules/function-service").locals();
        String port = String.valueOf(((Number) locals.get("port")).intValue());
        assertEquals(port, functions.env().get("QUARKUS_HTTP_PORT"));
        assertEquals(List.of(port), functions.all("EXPOSE"));
    }

    @Test
    void theCudaLibtorchMatchesThePytorchJniTheAppsAreBuiltWith() throws IOException, InterruptedException {
        Properties pom = new Properties();
        Matcher property = Pattern.compile("<(pytorch\\.version|djl\\.version)>([^<]+)<").matcher(Files.readString(Repository.ROOT.resolve("pom.xml")));
        while (property.find()) {
            pom.setProperty(property.group(1), property.group(2));
        }
        // Quarkus names a dependency in lib/main <groupId>.<artifactId>-<version>.jar.
        String jniJar = "ai.djl.pytorch.pytorch-jni-" + pom.getProperty("pytorch.version") + "-" + pom.getProperty("djl.version") + ".jar";
        String script = Files.readString(Repository.ROOT.resolve("containers/fetch-libtorch.sh"));
        Matcher sed = Pattern.compile("sed -n '([^']+)'").matcher(script);
        assertTrue(sed.find(), "the script derives the PyTorch version with sed");
        assertEquals(pom.getProperty("pytorch.version"), run("sh", "-c", "basename \"$1\" .jar | sed -n \"$2\"", "sh", jniJar, sed.group(1)));
        for (Image image : IMAGES) {
            Containerfile file = Containerfile.read(image.containerfile());
            String copy = file.all("COPY").stream().filter(c -> c.contains("pytorch-jni")).findFirst().orElseThrow();
            String glob = copy.split(" ")[0];
            String name = glob.substring(glob.lastIndexOf('/') + 1);
            assertTrue(jniJar.matches(name.replace(".", "\\.").replace("*", ".*")), glob + " does not match " + jniJar);
            assertTrue(glob.startsWith(image.module() + "/target/quarkus-app/lib/main/"), glob);
            String flavor = file.all("ARG").stream().filter(a -> a.startsWith("PYTORCH_FLAVOR=")).findFirst().orElseThrow()
                    .substring("PYTORCH_FLAVOR=".length());
            // That pytorch-jni ships a JNI bridge for the flavor the image fetches.
            assertNotNull(getClass().getClassLoader().getResource("jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so"),
                    "pytorch-jni has no " + flavor + " bridge");
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, process.waitFor(), out);
        return out;
    }

    /** A class file's bytes as Latin-1 text: its string constants (the names DJL reads) are in it verbatim. */
    private static String classConstants(String resource) throws IOException {
        try (InputStream in = ContainerfileTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

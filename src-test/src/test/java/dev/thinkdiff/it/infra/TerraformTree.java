package dev.thinkdiff.it.infra;

import com.bertramlabs.plugins.hcl4j.HCLParser;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Every Terraform module under {@code infra-terraform/}: its files as hcl4j parses them and as {@link HclText} reads them. */
final class TerraformTree {

    static final Path ROOT = Repository.ROOT.resolve("infra-terraform");

    private static final Pattern VAR_REF = Pattern.compile("\\bvar\\.([A-Za-z_][A-Za-z0-9_-]*)");
    private static final Set<String> MODULE_META_ARGUMENTS = Set.of("source", "version", "providers", "depends_on", "count", "for_each");

    /** One module: a directory of .tf files. */
    record Module(Path dir, List<HclText> texts, List<Map<String, Object>> parsed) {

        String name() {
            return ROOT.relativize(dir).toString().isEmpty() ? "(root)" : ROOT.relativize(dir).toString();
        }

        List<HclText.Block> blocks(String type) {
            return texts.stream().flatMap(t -> t.blocks(type).stream()).toList();
        }

        /** Declared variables by name, each with its hcl4j attributes. */
        Map<String, Map<String, Object>> variables() {
            return section("variable");
        }

        /** The module's locals, as hcl4j evaluates them (literals survive, references do not). */
        Map<String, Object> locals() {
            Map<String, Object> all = new LinkedHashMap<>();
            for (Map<String, Object> file : parsed) {
                if (file.get("locals") instanceof Map<?, ?> locals) {
                    locals.forEach((name, value) -> all.put((String) name, value));
                }
            }
            return all;
        }

        /** Module calls by name, each with its hcl4j arguments. */
        Map<String, Map<String, Object>> moduleCalls() {
            return section("module");
        }

        /** The arguments a module call passes (its attributes except the meta-arguments). */
        static Set<String> arguments(Map<String, Object> call) {
            Set<String> args = new TreeSet<>(call.keySet());
            args.removeAll(MODULE_META_ARGUMENTS);
            return args;
        }

        Set<String> usedVariables() {
            Set<String> used = new TreeSet<>();
            for (HclText text : texts) {
                Matcher m = VAR_REF.matcher(text.code);
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
            return used;
        }

        /** All text of the module's files, comments blanked, and of the templates next to them. */
        String allCode() {
            StringBuilder all = new StringBuilder();
            texts.forEach(t -> all.append(t.code).append('\n'));
            try (Stream<Path> templates = Files.list(dir)) {
                for (Path template : templates.filter(p -> p.toString().endsWith(".tftpl")).sorted().toList()) {
                    all.append(Files.readString(template)).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return all.toString();
        }

        @SuppressWarnings("unchecked")
        private Map<String, Map<String, Object>> section(String type) {
            Map<String, Map<String, Object>> all = new LinkedHashMap<>();
            for (Map<String, Object> file : parsed) {
                Object section = file.get(type);
                if (section instanceof Map<?, ?> map) {
                    map.forEach((name, body) -> all.put((String) name, (Map<String, Object>) body));
                }
            }
            return all;
        }
    }

    private static TerraformTree shared;

    final Map<Path, Module> modules = new LinkedHashMap<>();

    /** The tree, read once for all the tests. */
    static synchronized TerraformTree shared() {
        if (shared == null) {
            try {
                shared = new TerraformTree();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    private TerraformTree() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(ROOT)) {
            files = walk.filter(p -> p.toString().endsWith(".tf")).filter(p -> !p.toString().contains("/.terraform/"))
                    .sorted().toList();
        }
        Map<Path, List<Path>> byDir = new LinkedHashMap<>();
        files.forEach(f -> byDir.computeIfAbsent(f.getParent(), d -> new ArrayList<>()).add(f));
        for (Map.Entry<Path, List<Path>> dir : byDir.entrySet()) {
            List<HclText> texts = new ArrayList<>();
            List<Map<String, Object>> parsed = new ArrayList<>();
            for (Path file : dir.getValue()) {
                texts.add(new HclText(ROOT.relativize(file).toString(), Files.readString(file)));
                parsed.add(parse(file));
            }
            modules.put(dir.getKey(), new Module(dir.getKey(), texts, parsed));
        }
    }

    Module module(String relativeDir) {
        Module module = modules.get(relativeDir.isEmpty() ? ROOT : ROOT.resolve(relativeDir));
        if (module == null) {
            throw new AssertionError("no Terraform module in infra-terraform/" + relativeDir);
        }
        return module;
    }

    /** The module a call's {@code source} names, relative to the calling module. */
    Module called(Module caller, Map<String, Object> call) {
        Object source = call.get("source");
        if (!(source instanceof String path) || !path.startsWith(".")) {
            throw new AssertionError(caller.name() + ": module source must be a local path, was " + source);
        }
        Module module = modules.get(caller.dir().resolve(path).normalize());
        if (module == null) {
            throw new AssertionError(caller.name() + ": module source " + path + " has no .tf files");
        }
        return module;
    }

    /** Parses a file with hcl4j, which prints its evaluation trace to standard output: that is silenced. */
    static Map<String, Object> parse(Path file) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new HCLParser().parse(file.toFile(), "UTF-8");
        } catch (Exception e) {
            throw new AssertionError("hcl4j cannot parse " + ROOT.relativize(file) + ": " + e, e);
        } finally {
            System.setOut(out);
        }
    }
}

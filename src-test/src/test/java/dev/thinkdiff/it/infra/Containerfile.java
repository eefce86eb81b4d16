package dev.thinkdiff.it.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Containerfile's instructions (continuation lines joined, comments dropped), read for what the tests check. */
record Containerfile(Path path, List<String> instructions) {

    private static final Pattern ENV_PAIR = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S+)");

    static Containerfile read(String relativePath) throws IOException {
        Path path = Repository.ROOT.resolve(relativePath);
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(path)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                instructions.add(current.append(trimmed).toString().strip());
                current.setLength(0);
            }
        }
        return new Containerfile(path, instructions);
    }

    /** Arguments of every instruction with this keyword, in order. */
    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                .map(i -> i.substring(keyword.length() + 1).strip()).toList();
    }

    /** Instructions of the last stage (after the last FROM): what the image runs. */
    Containerfile finalStage() {
        int from = 0;
        for (int i = 0; i < instructions.size(); i++) {
            if (instructions.get(i).startsWith("FROM ")) {
                from = i;
            }
        }
        return new Containerfile(path, instructions.subList(from, instructions.size()));
    }

    /** Variables set by ENV (key=value form). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String args : all("ENV")) {
            Matcher m = ENV_PAIR.matcher(args);
            while (m.find()) {
                env.put(m.group(1), m.group(2));
            }
        }
        return env;
    }

    /** The exec-form ENTRYPOINT's words. */
    List<String> entrypoint() {
        List<String> entrypoints = all("ENTRYPOINT");
        if (entrypoints.size() != 1 || !entrypoints.get(0).startsWith("[")) {
            throw new AssertionError(path + ": expected one exec-form ENTRYPOINT, found " + entrypoints);
        }
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(entrypoints.get(0));
        while (m.find()) {
            words.add(m.group(1));
        }
        return words;
    }
}

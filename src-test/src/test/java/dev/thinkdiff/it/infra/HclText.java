package dev.thinkdiff.it.infra;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of one HCL file as a small lexer sees it: comments blanked out (offsets kept), every bracket outside strings,
 * heredocs and comments matched, and blocks and one-line attributes found by name. hcl4j parses leniently (it accepts
 * some unclosed braces and lists) and evaluates references away, so structure and expressions are checked here.
 */
final class HclText {

    private static final Pattern HEREDOC = Pattern.compile("<<-?([A-Za-z_][A-Za-z0-9_]*)\\r?\\n");
    private static final Pattern BLOCK = Pattern.compile(
            "(?m)^[ \\t]*(resource|data|module|variable|output|locals|terraform|provider)\\b((?:[ \\t]+\"[^\"]*\")*)[ \\t]*\\{");
    private static final Pattern LABEL = Pattern.compile("\"([^\"]*)\"");

    /** A top-level block: its type, labels and body text (between its braces, comments blanked). */
    record Block(String type, List<String> labels, String body) {

        String label(int i) {
            return labels.get(i);
        }

        /** The expression of a one-line attribute {@code name = …} anywhere in the body. */
        Optional<String> attribute(String name) {
            Matcher m = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(name) + "[ \\t]*=[ \\t]*(.+?)[ \\t]*$").matcher(body);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
    }

    final String name;
    final String code;
    final List<String> errors = new ArrayList<>();
    private final Map<Integer, Integer> closing = new HashMap<>();

    HclText(String name, String source) {
        this.name = name;
        StringBuilder out = new StringBuilder(source);
        Deque<int[]> brackets = new ArrayDeque<>(); // {offset, char}; '"' marks a string around an interpolation
        int i = 0;
        int n = source.length();
        boolean inString = false;
        while (i < n) {
            char c = source.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i += 2;
                } else if (c == '"') {
                    inString = false;
                    i++;
                } else if ((c == '$' || c == '%') && i + 1 < n && source.charAt(i + 1) == '{') {
                    if (i > 0 && source.charAt(i - 1) == c) { // $${ and %%{ are literal
                        i += 2;
                    } else {
                        brackets.push(new int[] {i + 1, '"'});
                        inString = false;
                        i += 2;
                    }
                } else {
                    i++;
                }
                continue;
            }
            if (c == '#' || (c == '/' && i + 1 < n && source.charAt(i + 1) == '/')) {
                int end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
                blank(out, i, end);
                i = end;
            } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                if (end < 0) {
                    errors.add(where(source, i) + ": unterminated comment");
                    blank(out, i, n);
                    break;
                }
                blank(out, i, end + 2);
                i = end + 2;
            } else if (c == '"') {
                inString = true;
                i++;
            } else if (c == '<' && source.startsWith("<<", i)) {
                Matcher m = HEREDOC.matcher(source).region(i, n);
                if (m.lookingAt()) {
                    Matcher end = Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(m.group(1)) + "[ \\t]*$")
                            .matcher(source).region(m.end(), n);
                    if (!end.find()) {
                        errors.add(where(source, i) + ": unterminated heredoc " + m.group(1));
                        break;
                    }
                    i = end.end();
                } else {
                    i += 2;
                }
            } else if (c == '{' || c == '[' || c == '(') {
                brackets.push(new int[] {i, c});
                i++;
            } else if (c == '}' || c == ']' || c == ')') {
                char open = c == '}' ? '{' : c == ']' ? '[' : '(';
                if (brackets.isEmpty()) {
                    errors.add(where(source, i) + ": '" + c + "' closes nothing");
                } else {
                    int[] top = brackets.pop();
                    if (top[1] == '"' && c == '}') {
                        inString = true; // end of an interpolation: back in its string
                    } else if (top[1] != open) {
                        errors.add(where(source, i) + ": '" + c + "' closes '" + (char) (top[1] == '"' ? '{' : top[1])
                                + "' of " + where(source, top[0]));
                    } else {
                        closing.put(top[0], i);
                    }
                }
                i++;
            } else {
                i++;
            }
        }
        if (inString) {
            errors.add(name + ": unterminated string");
        }
        for (int[] open : brackets) {
            errors.add(where(source, open[0]) + ": '" + (char) (open[1] == '"' ? '{' : open[1]) + "' is never closed");
        }
        this.code = out.toString();
    }

    /** Top-level blocks of the given type ({@code resource}, {@code module}, …); empty when the text is unbalanced. */
    List<Block> blocks(String type) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(code);
        while (m.find()) {
            Integer close = closing.get(m.end() - 1);
            if (!m.group(1).equals(type) || close == null) {
                continue;
            }
            List<String> labels = new ArrayList<>();
            Matcher label = LABEL.matcher(m.group(2));
            while (label.find()) {
                labels.add(label.group(1));
            }
            blocks.add(new Block(type, labels, code.substring(m.end(), close)));
        }
        return blocks;
    }

    /** The code with every (nested) block of this name blanked out, e.g. {@code validation}. */
    String without(String blockName) {
        StringBuilder out = new StringBuilder(code);
        Matcher m = Pattern.compile("\\b" + Pattern.quote(blockName) + "[ \\t]*\\{").matcher(code);
        while (m.find()) {
            Integer close = closing.get(m.end() - 1);
            blank(out, m.start(), close == null ? code.length() : close + 1);
        }
        return out.toString();
    }

    private String where(String source, int offset) {
        int line = 1;
        for (int k = 0; k < offset; k++) {
            if (source.charAt(k) == '\n') {
                line++;
            }
        }
        return name + ":" + line;
    }

    private static void blank(StringBuilder out, int from, int to) {
        for (int k = from; k < to; k++) {
            if (out.charAt(k) != '\n') {
                out.setCharAt(k, ' ');
            }
        }
    }
}

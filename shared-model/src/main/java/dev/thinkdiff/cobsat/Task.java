package dev.thinkdiff.cobsat;

import java.util.List;

/**
 * CoBSAT's ten tasks. Type I: the text names the attribute (x) and every demo shows the same hidden subject (θ).
 * Type II: the text names the subject (x) and every demo shows the same hidden attribute (θ).
 */
public enum Task {
    COLOR_I(1, "C-I", Theme.COLOR, true),
    COLOR_II(2, "C-II", Theme.COLOR, false),
    BACKGROUND_I(3, "B-I", Theme.BACKGROUND, true),
    BACKGROUND_II(4, "B-II", Theme.BACKGROUND, false),
    STYLE_I(5, "S-I", Theme.STYLE, true),
    STYLE_II(6, "S-II", Theme.STYLE, false),
    ACTION_I(7, "A-I", Theme.ACTION, true),
    ACTION_II(8, "A-II", Theme.ACTION, false),
    TEXTURE_I(9, "T-I", Theme.TEXTURE, true),
    TEXTURE_II(10, "T-II", Theme.TEXTURE, false);

    private final int id;
    private final String column;
    private final Theme theme;
    private final boolean typeOne;

    Task(int id, String column, Theme theme, boolean typeOne) {
        this.id = id;
        this.column = column;
        this.theme = theme;
        this.typeOne = typeOne;
    }

    /** The benchmark's task id, 1..10. */
    public int id() {
        return id;
    }

    /** Column header in the paper's tables ("C-I", …, "T-II"). */
    public String column() {
        return column;
    }

    public Theme theme() {
        return theme;
    }

    public boolean isTypeOne() {
        return typeOne;
    }

    /** The list the text items come from. */
    public ItemList xList() {
        return typeOne ? theme.attributes() : theme.subjects();
    }

    /** The list of the latent θ shared by every demo image. */
    public ItemList thetaList() {
        return typeOne ? theme.subjects() : theme.attributes();
    }

    /** The image cell showing x combined with θ. */
    public Cell cell(int xIndex, int thetaIndex) {
        return typeOne ? new Cell(theme, thetaIndex, xIndex) : new Cell(theme, xIndex, thetaIndex);
    }

    /** The paper's column order: the five type-I tasks, then the five type-II tasks. */
    public static List<Task> paperOrder() {
        return List.of(COLOR_I, BACKGROUND_I, STYLE_I, ACTION_I, TEXTURE_I,
                COLOR_II, BACKGROUND_II, STYLE_II, ACTION_II, TEXTURE_II);
    }

    public static Task byId(int id) {
        for (Task task : values()) {
            if (task.id == id) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task id " + id + "; expected 1..10");
    }

    /** Accepts the id ("1"), the column ("C-I") or the enum name ("COLOR_I", "color-i"). */
    public static Task parse(String text) {
        String t = text.trim();
        for (Task task : values()) {
            if (task.column.equalsIgnoreCase(t) || task.name().equalsIgnoreCase(t.replace('-', '_'))
                    || String.valueOf(task.id).equals(t)) {
                return task;
            }
        }
        throw new IllegalArgumentException("unknown task '" + text + "'; expected 1..10, C-I..T-II or COLOR_I..TEXTURE_II");
    }
}

package dev.thinkdiff.cobsat;

/** One of the 500 image cells: a subject of the theme's subject list shown with an attribute of the theme. */
public record Cell(Theme theme, int subject, int attribute) {

    public Cell {
        if (subject < 0 || subject >= ItemList.SIZE || attribute < 0 || attribute >= ItemList.SIZE) {
            throw new IllegalArgumentException("cell indices must be 0..9, got subject " + subject
                    + ", attribute " + attribute);
        }
    }

    public String subjectId() {
        return theme.subjects().item(subject);
    }

    public String attributeId() {
        return theme.attributes().item(attribute);
    }

    /** Relative path in the benchmark's layout, e.g. {@code color_car/red_car.png} (the benchmark's helper.find_image). */
    public String datasetPath() {
        return theme.id() + "_" + subjectId() + "/" + attributeId() + "_" + subjectId() + ".png";
    }

    @Override
    public String toString() {
        return theme.id() + ":" + theme.attributes().display(attribute) + " " + subjectId();
    }
}

package dev.thinkdiff.cobsat;

import java.util.List;

/**
 * CoBSAT's seven item lists, in the benchmark's order: prompts index into them, so the order is part of the protocol.
 * Two items are shown to models under another word ({@code 3d} as "wireframe", {@code park} as "amusement park");
 * ids (file names, indices) keep the original spelling.
 */
public enum ItemList {
    COLOR("color", "yellow", "white", "red", "purple", "pink", "orange", "green", "brown", "blue", "black"),
    OBJECT("object", "leaf", "hat", "cup", "chair", "car", "box", "book", "ball", "bag", "apple"),
    ANIMAL("animal", "zebra", "tiger", "sheep", "pig", "monkey", "lion", "dog", "cow", "cat", "bird"),
    STYLE("style", "watercolor", "sketch", "pixel", "origami", "lego", "icon", "graffiti", "futuristic", "3d", "old"),
    ACTION("action", "swim", "sleep", "sing", "run", "read", "fly", "eat", "drink", "cry", "angry"),
    BACKGROUND("background", "beach", "desert", "glacier", "volcano", "park", "gym", "waterfall", "space", "cave",
            "seafloor"),
    TEXTURE("texture", "wood", "wicker", "sequined", "plastic", "paper", "metal", "leather", "lace", "denim", "ceramic");

    public static final int SIZE = 10;

    private final String id;
    private final List<String> items;

    ItemList(String id, String... items) {
        this.id = id;
        this.items = List.of(items);
    }

    /** The list's name as the benchmark writes it ("color", "object", …). */
    public String id() {
        return id;
    }

    /** Item ids in benchmark order (file names use these). */
    public List<String> items() {
        return items;
    }

    public String item(int index) {
        return items.get(index);
    }

    /** The word a model is shown for this item: "wireframe" for 3d, "amusement park" for park, else the id. */
    public String display(int index) {
        return displayWord(items.get(index));
    }

    public int indexOf(String item) {
        int index = items.indexOf(item);
        if (index < 0) {
            throw new IllegalArgumentException("'" + item + "' is not in the " + id + " list " + items);
        }
        return index;
    }

    public static String displayWord(String item) {
        return switch (item) {
            case "3d" -> "wireframe";
            case "park" -> "amusement park";
            default -> item;
        };
    }
}

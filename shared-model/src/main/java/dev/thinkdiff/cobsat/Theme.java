package dev.thinkdiff.cobsat;

/**
 * The five image themes of CoBSAT: every image shows one subject (an object or an animal) with one attribute of the
 * theme.
 */
public enum Theme {
    COLOR(ItemList.COLOR, ItemList.OBJECT),
    BACKGROUND(ItemList.BACKGROUND, ItemList.ANIMAL),
    STYLE(ItemList.STYLE, ItemList.OBJECT),
    ACTION(ItemList.ACTION, ItemList.ANIMAL),
    TEXTURE(ItemList.TEXTURE, ItemList.OBJECT);

    private final ItemList attributes;
    private final ItemList subjects;

    Theme(ItemList attributes, ItemList subjects) {
        this.attributes = attributes;
        this.subjects = subjects;
    }

    public ItemList attributes() {
        return attributes;
    }

    public ItemList subjects() {
        return subjects;
    }

    public String id() {
        return attributes.id();
    }

    public static Theme byId(String id) {
        for (Theme theme : values()) {
            if (theme.id().equals(id)) {
                return theme;
            }
        }
        throw new IllegalArgumentException("unknown theme '" + id + "'; expected one of color, background, style, "
                + "action, texture");
    }
}

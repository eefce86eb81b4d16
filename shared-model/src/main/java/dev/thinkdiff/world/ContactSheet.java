package dev.thinkdiff.world;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.function.Function;

/**
 * A labelled grid of renders for looking at the world: one block per theme, subjects as rows and attributes as columns,
 * so that every cell can be compared with its neighbours in the same theme.
 */
public final class ContactSheet {

    private static final int LABEL_WIDTH = 64;
    /** Two label rows, alternating by column, so that long words ("amusement park") never overlap. */
    private static final int HEADER = 32;
    private static final int GAP = 2;

    private ContactSheet() {
    }

    /** Renders of the world at one seed. */
    public static BufferedImage draw(List<Theme> themes, long seed) {
        WorldRenderer renderer = new WorldRenderer();
        return draw(themes, cell -> renderer.render(cell, seed));
    }

    /** Any images by cell (generated ones, say); a cell without an image (null) stays blank. */
    public static BufferedImage draw(List<Theme> themes, Function<Cell, BufferedImage> images) {
        int block = HEADER + ItemList.SIZE * (WorldRenderer.SIZE + GAP) + 8;
        int width = LABEL_WIDTH + ItemList.SIZE * (WorldRenderer.SIZE + GAP);
        BufferedImage sheet = new BufferedImage(width, block * themes.size(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int t = 0; t < themes.size(); t++) {
            Theme theme = themes.get(t);
            int top = t * block;
            g.setColor(Color.BLACK);
            for (int a = 0; a < ItemList.SIZE; a++) {
                g.drawString(theme.attributes().display(a), LABEL_WIDTH + a * (WorldRenderer.SIZE + GAP) + 2,
                        top + HEADER - 6 - (a % 2) * 12);
            }
            for (int s = 0; s < ItemList.SIZE; s++) {
                int y = top + HEADER + s * (WorldRenderer.SIZE + GAP);
                g.setColor(Color.BLACK);
                g.drawString(theme.subjects().item(s), 4, y + WorldRenderer.SIZE / 2 + 4);
                for (int a = 0; a < ItemList.SIZE; a++) {
                    BufferedImage image = images.apply(new Cell(theme, s, a));
                    if (image != null) {
                        g.drawImage(image, LABEL_WIDTH + a * (WorldRenderer.SIZE + GAP), y, null);
                    }
                }
            }
        }
        g.dispose();
        return sheet;
    }
}

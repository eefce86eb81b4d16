package dev.thinkdiff.world;

import dev.thinkdiff.world.AnimalPainter.Anchors;
import dev.thinkdiff.world.AnimalPainter.Pose;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The ten CoBSAT actions (swim, sleep, sing, run, read, fly, eat, drink, cry, angry) as cues a small classifier can
 * see: water waves, Zzz, music notes, motion lines, a book, wings, food, a cup, tears, anger marks. Drawn in the
 * animal's frame after the animal, at its anchors.
 */
final class ActionCues {

    private static final Color INK = new Color(35, 30, 28);

    private ActionCues() {
    }

    static Pose pose(int action) {
        return switch (action) {
            case 1 -> Pose.LIE;
            case 3 -> Pose.RUN;
            default -> Pose.STAND;
        };
    }

    static boolean eyesClosed(int action) {
        return action == 1;
    }

    /** How far the animal is raised for the action (flying animals leave the ground). */
    static double lift(int action) {
        return action == 5 ? 7 : 0;
    }

    static void paint(Graphics2D g, int action, Anchors a, Variation v) {
        switch (action) {
            case 0 -> swim(g, a, v);
            case 1 -> sleep(g, a, v);
            case 2 -> sing(g, a, v);
            case 3 -> run(g, a, v);
            case 4 -> read(g, a);
            case 5 -> fly(g, a, v);
            case 6 -> eat(g, a);
            case 7 -> drink(g, a);
            case 8 -> cry(g, a, v);
            case 9 -> angry(g, a);
            default -> throw new IllegalArgumentException("action " + action);
        }
    }

    private static void swim(Graphics2D g, Anchors a, Variation v) {
        double waterline = a.back().getY() + 9;
        Path2D water = new Path2D.Double();
        water.moveTo(-40, waterline);
        double phase = v.phaseX() % 8;
        for (double x = -40; x < 40; x += 8) {
            water.quadTo(x + 2 + phase / 4, waterline - 3, x + 4, waterline);
            water.quadTo(x + 6, waterline + 3, x + 8, waterline);
        }
        water.lineTo(40, 40);
        water.lineTo(-40, 40);
        water.closePath();
        g.setColor(new Color(30, 120, 215, 225));
        g.fill(water);
        g.setColor(new Color(235, 250, 255));
        g.setStroke(new BasicStroke(1.1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (double y = waterline + 5; y < 30; y += 6) {
            for (double x = -30 + (y % 12); x < 30; x += 12) {
                g.draw(new java.awt.geom.Arc2D.Double(x, y, 6, 3, 0, 180, java.awt.geom.Arc2D.OPEN));
            }
        }
    }

    private static void sleep(Graphics2D g, Anchors a, Variation v) {
        g.setColor(new Color(40, 60, 160));
        double x = a.headTop().getX() + 3;
        double y = a.headTop().getY() - 3;
        double size = 3;
        for (int k = 0; k < 3; k++) {
            g.setStroke(new BasicStroke(1.1f + k * 0.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            Path2D z = new Path2D.Double();
            z.moveTo(x, y - size);
            z.lineTo(x + size, y - size);
            z.lineTo(x, y);
            z.lineTo(x + size, y);
            g.draw(z);
            x += size + 1.5;
            y -= size + 1;
            size += 1.3;
        }
    }

    private static void sing(Graphics2D g, Anchors a, Variation v) {
        g.setColor(new Color(0xd0202c));
        g.fill(new Ellipse2D.Double(a.mouth().getX() - 1.6, a.mouth().getY() - 1.2, 3.2, 2.6));
        double x = a.headTop().getX() - 4;
        double y = a.headTop().getY() - 4;
        Color[] notes = {new Color(0x1a1a8a), new Color(0x8a1a7a)};
        for (int k = 0; k < 2; k++) {
            double nx = x + k * 7;
            double ny = y - k * 4;
            g.setColor(notes[k]);
            g.fill(new Ellipse2D.Double(nx, ny, 4, 3.2));
            g.setStroke(new BasicStroke(1f));
            g.draw(new Line2D.Double(nx + 3.6, ny + 1.5, nx + 3.6, ny - 7));
            Path2D flag = new Path2D.Double();
            flag.moveTo(nx + 3.6, ny - 7);
            flag.quadTo(nx + 7, ny - 5, nx + 6, ny - 2.5);
            g.draw(flag);
        }
    }

    private static void run(Graphics2D g, Anchors a, Variation v) {
        g.setColor(new Color(70, 70, 80));
        g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double left = -24;
        for (int k = 0; k < 3; k++) {
            double y = a.back().getY() + 3 + k * 5;
            g.draw(new Line2D.Double(left - 8 + k * 2, y, left + 2, y));
        }
        g.setColor(new Color(150, 130, 110, 180));
        g.fill(new Ellipse2D.Double(-26, a.groundY() - 3, 6, 4));
        g.fill(new Ellipse2D.Double(-31, a.groundY() - 5, 5, 4));
    }

    private static void read(Graphics2D g, Anchors a) {
        double x = a.mouth().getX() + 1;
        double y = a.mouth().getY() + 2;
        Path2D cover = new Path2D.Double();
        cover.moveTo(x - 7, y + 1);
        cover.lineTo(x, y + 4);
        cover.lineTo(x + 7, y + 1);
        cover.lineTo(x + 7, y + 11);
        cover.lineTo(x, y + 14);
        cover.lineTo(x - 7, y + 11);
        cover.closePath();
        g.setColor(new Color(0xb0302a));
        g.fill(cover);
        Path2D left = new Path2D.Double();
        left.moveTo(x - 6, y);
        left.lineTo(x, y + 3);
        left.lineTo(x, y + 12);
        left.lineTo(x - 6, y + 9);
        left.closePath();
        Path2D right = (Path2D) AffineTransform.getScaleInstance(-1, 1).createTransformedShape(left);
        right.transform(AffineTransform.getTranslateInstance(2 * x, 0));
        g.setColor(Color.WHITE);
        g.fill(left);
        g.fill(right);
        g.setColor(new Color(90, 90, 110));
        g.setStroke(new BasicStroke(0.5f));
        for (int k = 0; k < 3; k++) {
            g.draw(new Line2D.Double(x - 5, y + 2.5 + k * 2.5, x - 1, y + 4.5 + k * 2.5));
            g.draw(new Line2D.Double(x + 1, y + 4.5 + k * 2.5, x + 5, y + 2.5 + k * 2.5));
        }
    }

    private static void fly(Graphics2D g, Anchors a, Variation v) {
        double bx = a.back().getX();
        double by = a.back().getY();
        for (int layer = 0; layer < 3; layer++) {
            Path2D wing = new Path2D.Double();
            wing.moveTo(bx + 4, by + 2);
            wing.quadTo(bx - 2 - layer * 3, by - 10 - layer * 4, bx - 12 - layer * 2, by - 15 - layer * 3);
            wing.quadTo(bx - 6, by - 2, bx - 6 + layer, by + 3);
            wing.closePath();
            g.setColor(layer == 0 ? new Color(0xf8f8ff) : new Color(0xdfe6f5));
            g.fill(wing);
            g.setColor(new Color(0x7a86a8));
            g.setStroke(new BasicStroke(0.7f));
            g.draw(wing);
        }
        g.setColor(new Color(0, 0, 0, 55));
        g.fill(new Ellipse2D.Double(-16, a.groundY() + ActionCues.lift(5) + 1, 32, 4));
    }

    private static void eat(Graphics2D g, Anchors a) {
        double x = a.mouth().getX() + 1;
        double y = a.groundY() - 7;
        g.setColor(new Color(0x2a9a4a));
        Path2D bowl = new Path2D.Double();
        bowl.moveTo(x - 8, y);
        bowl.lineTo(x + 8, y);
        bowl.quadTo(x + 7, y + 7, x, y + 7);
        bowl.quadTo(x - 7, y + 7, x - 8, y);
        g.fill(bowl);
        g.setColor(new Color(0x9a5a1a));
        for (int k = 0; k < 5; k++) {
            g.fill(new Ellipse2D.Double(x - 7 + k * 3, y - 2.2 - (k % 2), 3.4, 3.2));
        }
        g.setColor(new Color(0xe8d8b0));
        g.fill(new Rectangle2D.Double(a.mouth().getX() - 1, a.mouth().getY() - 1, 7, 2.2));
        g.fill(new Ellipse2D.Double(a.mouth().getX() + 5, a.mouth().getY() - 2, 3, 3));
        g.fill(new Ellipse2D.Double(a.mouth().getX() + 5, a.mouth().getY() + 0.4, 3, 3));
    }

    private static void drink(Graphics2D g, Anchors a) {
        double x = a.mouth().getX() + 3;
        double y = a.mouth().getY() + 3;
        g.setColor(new Color(0xe85a1a));
        g.setStroke(new BasicStroke(1.1f));
        g.draw(new Line2D.Double(a.mouth().getX(), a.mouth().getY(), x + 1, y + 2));
        g.setColor(new Color(210, 240, 255, 230));
        g.fill(new Rectangle2D.Double(x - 4, y, 8, 12));
        g.setColor(new Color(0x3a6ad8));
        g.fill(new Rectangle2D.Double(x - 4, y + 4, 8, 8));
        g.setColor(INK);
        g.setStroke(new BasicStroke(0.8f));
        g.draw(new Rectangle2D.Double(x - 4, y, 8, 12));
    }

    private static void cry(Graphics2D g, Anchors a, Variation v) {
        g.setColor(new Color(0x2a8af0));
        double x = a.eye().getX();
        double y = a.eye().getY() + 2;
        for (int k = 0; k < 3; k++) {
            Path2D drop = new Path2D.Double();
            double dy = y + k * 4.5;
            double dx = x + k * 0.8;
            drop.moveTo(dx, dy);
            drop.quadTo(dx + 2.2, dy + 3, dx, dy + 4);
            drop.quadTo(dx - 2.2, dy + 3, dx, dy);
            g.fill(drop);
        }
        g.setColor(new Color(60, 150, 240, 160));
        g.fill(new Ellipse2D.Double(x - 6, a.groundY() - 1, 14, 3));
        g.setColor(INK);
        g.setStroke(new BasicStroke(0.9f));
        g.draw(new Line2D.Double(a.eye().getX() - 2, a.eye().getY() - 2, a.eye().getX() + 2, a.eye().getY() - 3.4));
    }

    private static void angry(Graphics2D g, Anchors a) {
        g.setColor(INK);
        g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(a.eye().getX() - 2.5, a.eye().getY() - 3.6, a.eye().getX() + 2, a.eye().getY() - 1.5));
        g.setColor(new Color(230, 30, 30, 90));
        g.fill(new Ellipse2D.Double(a.headTop().getX() - a.headRadius(), a.headTop().getY(), a.headRadius() * 2,
                a.headRadius() * 2));
        double cx = a.headTop().getX() + 2;
        double cy = a.headTop().getY() - 5;
        g.setColor(new Color(0xe01818));
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int k = 0; k < 4; k++) {
            AffineTransform saved = g.getTransform();
            g.translate(cx, cy);
            g.rotate(k * Math.PI / 2);
            Path2D mark = new Path2D.Double();
            mark.moveTo(1, -3.5);
            mark.quadTo(1, -1, 3.5, -1);
            g.draw(mark);
            g.setTransform(saved);
        }
        g.setColor(new Color(120, 120, 120, 200));
        g.fill(new Ellipse2D.Double(a.headTop().getX() - 9, a.headTop().getY() - 6, 4, 4));
        g.fill(new Ellipse2D.Double(a.headTop().getX() - 12, a.headTop().getY() - 9, 3, 3));
    }
}

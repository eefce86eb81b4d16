package dev.thinkdiff.world;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/**
 * The ten CoBSAT animals (zebra, tiger, sheep, pig, monkey, lion, dog, cow, cat, bird) as side-view icons facing right,
 * each with its natural colours and markings. Poses let the action cues change the body (lying asleep, legs spread
 * running, lifted when flying); anchors tell the cues where the eye, the mouth and the top of the head are.
 */
final class AnimalPainter {

    enum Pose { STAND, LIE, RUN }

    /** Points in the animal's frame that the action cues attach to. */
    record Anchors(Point2D eye, Point2D mouth, Point2D headTop, Point2D back, double groundY, double headRadius) {
    }

    private static final Color INK = new Color(35, 30, 28);

    private AnimalPainter() {
    }

    /** Paints the animal in its own frame (origin at the body's centre, about ±22 units) and returns its anchors. */
    static Anchors paint(Graphics2D g, int animal, Pose pose, boolean eyesClosed, Variation v) {
        return switch (animal) {
            case 4 -> monkey(g, pose, eyesClosed, v);
            case 9 -> bird(g, pose, eyesClosed, v);
            default -> quadruped(g, animal, pose, eyesClosed, v);
        };
    }

    // ---- quadrupeds: zebra, tiger, sheep, pig, lion, dog, cow, cat ----------------------------------------------------

    private record Build(Color coat, Color legs, Color head, double headR, double headDx, double headDy,
            double bodyW, double bodyH, double legLen) {
    }

    private static Build build(int animal) {
        return switch (animal) {
            case 0 -> new Build(new Color(0xf7f7f7), new Color(0xf7f7f7), new Color(0xf7f7f7), 6.5, 16, -9, 30, 15, 11);
            case 1 -> new Build(new Color(0xf08a1c), new Color(0xf08a1c), new Color(0xf08a1c), 7.5, 15, -6, 30, 14, 9);
            case 2 -> new Build(new Color(0xf2efe6), new Color(0x2a2626), new Color(0x2a2626), 6, 16, -5, 30, 18, 8);
            case 3 -> new Build(new Color(0xf5a3b7), new Color(0xf5a3b7), new Color(0xf5a3b7), 8, 15, -3, 32, 18, 6);
            case 5 -> new Build(new Color(0xe2ad55), new Color(0xe2ad55), new Color(0xe2ad55), 7, 15, -7, 30, 14, 10);
            case 6 -> new Build(new Color(0xc98b4a), new Color(0xc98b4a), new Color(0xc98b4a), 7, 15, -7, 26, 13, 10);
            case 7 -> new Build(new Color(0xfafafa), new Color(0xfafafa), new Color(0xfafafa), 7, 16, -5, 32, 16, 9);
            case 8 -> new Build(new Color(0x8d929c), new Color(0x8d929c), new Color(0x8d929c), 7, 14, -7, 26, 12, 9);
            default -> throw new IllegalArgumentException("not a quadruped: " + animal);
        };
    }

    private static Anchors quadruped(Graphics2D g, int animal, Pose pose, boolean eyesClosed, Variation v) {
        Build b = build(animal);
        double lift = pose == Pose.LIE ? b.legLen - 2 : 0;
        double bodyTop = -b.bodyH / 2 + 2 + lift;
        Shape body = new Ellipse2D.Double(-b.bodyW / 2, bodyTop, b.bodyW, b.bodyH);
        double hx = b.headDx;
        double hy = b.headDy + lift;
        Shape head = headShape(animal, hx, hy, b.headR);
        double legTop = bodyTop + b.bodyH - 4;
        List<Shape> legs = legs(b, legTop, pose);
        Shape neck = neck(b.bodyW, bodyTop, hx, hy, b.headR);

        tail(g, animal, -b.bodyW / 2, bodyTop + 4, b.coat);
        for (Shape leg : legs) {
            fillInk(g, leg, b.legs, 1f);
        }
        if (animal == 2) {
            fillInk(g, fleece(body), b.coat, 1f);
        } else {
            Area torso = new Area(body);
            torso.add(new Area(neck));
            fillInk(g, torso, b.coat, 1f);
        }
        earsBehind(g, animal, hx, hy, b);
        if (animal == 5) {
            fillInk(g, new Ellipse2D.Double(hx - b.headR * 1.75, hy - b.headR * 1.75, b.headR * 3.5, b.headR * 3.5),
                    new Color(0xa4561c), 1f);
        }
        fillInk(g, head, b.head, 1f);
        markings(g, animal, body, head, neck, legs, b, hx, hy);
        face(g, animal, hx, hy, b.headR, eyesClosed);
        double ground = pose == Pose.LIE ? bodyTop + b.bodyH : legTop + b.legLen;
        return new Anchors(new Point2D.Double(hx + b.headR * 0.35, hy - b.headR * 0.25),
                new Point2D.Double(hx + b.headR * 1.2, hy + b.headR * 0.4),
                new Point2D.Double(hx, hy - b.headR), new Point2D.Double(-2, bodyTop), ground, b.headR);
    }

    private static Shape headShape(int animal, double hx, double hy, double r) {
        if (animal == 0) { // zebra: a long horse head pointing down-forward
            Path2D horse = new Path2D.Double();
            horse.moveTo(hx - r * 0.8, hy - r * 0.9);
            horse.quadTo(hx + r * 0.6, hy - r * 1.3, hx + r * 1.7, hy + r * 0.6);
            horse.quadTo(hx + r * 1.8, hy + r * 1.3, hx + r, hy + r * 1.2);
            horse.quadTo(hx - r * 0.4, hy + r * 0.7, hx - r * 0.8, hy - r * 0.9);
            return horse;
        }
        if (animal == 6 || animal == 7) { // dog and cow: a longer muzzle
            Area head = new Area(new Ellipse2D.Double(hx - r, hy - r, 2 * r, 2 * r));
            head.add(new Area(new Ellipse2D.Double(hx, hy - r * 0.2, r * 1.6, r * 1.1)));
            return head;
        }
        return new Ellipse2D.Double(hx - r, hy - r, 2 * r, 2 * r);
    }

    private static Shape neck(double bodyW, double bodyTop, double hx, double hy, double r) {
        Path2D neck = new Path2D.Double();
        neck.moveTo(bodyW / 2 - 9, bodyTop + 2);
        neck.lineTo(hx - r * 0.6, hy - r * 0.3);
        neck.lineTo(hx + r * 0.2, hy + r * 0.6);
        neck.lineTo(bodyW / 2 - 1, bodyTop + 8);
        neck.closePath();
        return neck;
    }

    private static List<Shape> legs(Build b, double legTop, Pose pose) {
        double half = b.bodyW / 2;
        double[] xs = {-half + 4, -half + 9, half - 9, half - 4};
        if (pose == Pose.LIE) {
            return List.of(new Ellipse2D.Double(half - 12, legTop + b.legLen - 5, 12, 4),
                    new Ellipse2D.Double(-half + 1, legTop + b.legLen - 5, 12, 4));
        }
        double[] angles = pose == Pose.RUN ? new double[] {-0.75, -0.35, 0.45, 0.85} : new double[] {0, 0, 0, 0};
        Shape[] legs = new Shape[4];
        for (int i = 0; i < 4; i++) {
            Shape leg = new Rectangle2D.Double(xs[i] - 1.7, legTop, 3.4, b.legLen + 1);
            legs[i] = AffineTransform.getRotateInstance(angles[i], xs[i], legTop).createTransformedShape(leg);
        }
        return List.of(legs);
    }

    private static Shape fleece(Shape body) {
        Area wool = new Area(body);
        java.awt.Rectangle r = body.getBounds();
        for (double x = r.x + 2; x < r.getMaxX() - 1; x += 5) {
            wool.add(new Area(new Ellipse2D.Double(x - 3, r.y - 2.5, 7, 7)));
            wool.add(new Area(new Ellipse2D.Double(x - 3, r.getMaxY() - 4.5, 7, 7)));
        }
        wool.add(new Area(new Ellipse2D.Double(r.x - 2.5, r.getCenterY() - 4, 7, 8)));
        wool.add(new Area(new Ellipse2D.Double(r.getMaxX() - 4.5, r.getCenterY() - 4, 7, 8)));
        return wool;
    }

    private static void tail(Graphics2D g, int animal, double x, double y, Color coat) {
        g.setStroke(new BasicStroke(animal == 3 ? 1.6f : 2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D tail = new Path2D.Double();
        tail.moveTo(x + 1, y);
        switch (animal) {
            case 3 -> { // pig: a curl
                tail.curveTo(x - 5, y - 5, x - 7, y + 2, x - 3, y + 2);
                tail.curveTo(x, y + 2, x - 2, y - 3, x - 5, y - 1);
            }
            case 8 -> tail.curveTo(x - 8, y, x - 10, y - 10, x - 6, y - 16); // cat: up and curved
            case 6 -> tail.quadTo(x - 6, y - 4, x - 7, y - 11); // dog: up
            default -> tail.quadTo(x - 5, y + 4, x - 5, y + 12); // hanging
        }
        g.setColor(INK);
        g.setStroke(new BasicStroke(animal == 3 ? 2.4f : 3.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(tail);
        g.setColor(coat);
        g.setStroke(new BasicStroke(animal == 3 ? 1.3f : 1.9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(tail);
        if (animal == 0 || animal == 5 || animal == 7) { // a dark tuft at the end
            g.setColor(animal == 5 ? new Color(0x8a4516) : INK);
            g.fill(new Ellipse2D.Double(x - 7.5, y + 10, 5, 6));
        }
    }

    private static void earsBehind(Graphics2D g, int animal, double hx, double hy, Build b) {
        double r = b.headR;
        switch (animal) {
            case 8, 1 -> { // cat pointed, tiger rounded
                if (animal == 8) {
                    fillInk(g, triangle(hx - r * 0.9, hy - r * 0.5, hx - r * 0.5, hy - r * 1.8, hx - r * 0.05, hy - r * 0.9),
                            b.head, 1f);
                    fillInk(g, triangle(hx + r * 0.05, hy - r * 0.95, hx + r * 0.55, hy - r * 1.85, hx + r * 0.9, hy - r * 0.5),
                            b.head, 1f);
                } else {
                    fillInk(g, new Ellipse2D.Double(hx - r * 0.9, hy - r * 1.3, r * 0.8, r * 0.8), b.head, 1f);
                    fillInk(g, new Ellipse2D.Double(hx + r * 0.1, hy - r * 1.35, r * 0.8, r * 0.8), b.head, 1f);
                }
            }
            case 0 -> fillInk(g, triangle(hx - r * 0.6, hy - r * 0.7, hx - r * 0.3, hy - r * 2, hx + r * 0.1, hy - r * 0.9),
                    b.head, 1f);
            case 3 -> fillInk(g, triangle(hx - r * 0.7, hy - r * 0.5, hx - r * 0.2, hy - r * 1.6, hx + r * 0.3, hy - r * 0.8),
                    new Color(0xe98aa2), 1f);
            case 2 -> fillInk(g, new Ellipse2D.Double(hx - r * 1.6, hy - r * 0.5, r * 1.2, r * 0.6), b.head, 1f);
            case 7 -> {
                g.setColor(new Color(0xe9e2c8));
                g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(hx - r * 0.5, hy - r * 0.8, hx - r * 0.9, hy - r * 1.6));
                g.draw(new Line2D.Double(hx + r * 0.2, hy - r * 0.9, hx + r * 0.4, hy - r * 1.7));
                fillInk(g, new Ellipse2D.Double(hx - r * 1.7, hy - r * 0.7, r * 1.2, r * 0.6), b.head, 1f);
            }
            default -> { }
        }
    }

    private static void markings(Graphics2D g, int animal, Shape body, Shape head, Shape neck, List<Shape> legs, Build b,
            double hx, double hy) {
        Area coat = new Area(body);
        coat.add(new Area(neck));
        for (Shape leg : legs) {
            coat.add(new Area(leg));
        }
        double r = b.headR;
        switch (animal) {
            case 0 -> { // zebra: bold vertical stripes, black mane and muzzle
                stripes(g, coat, INK, 4.2, 2.2, 0.15);
                stripes(g, new Area(head), INK, 3.2, 1.4, -0.6);
                fillInk(g, new Ellipse2D.Double(hx + r * 0.9, hy + r * 0.4, r * 1, r * 0.9), INK, 0f);
                g.setColor(INK);
                g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(hx - r * 0.8, hy - r * 0.5, b.bodyW / 2 - 10, -b.bodyH / 2 + 3));
            }
            case 1 -> { // tiger: black stripes, white muzzle and belly
                clipped(g, coat, () -> {
                    g.setColor(new Color(0xfbf2e0));
                    g.fill(new Ellipse2D.Double(-b.bodyW / 2 + 4, 5, b.bodyW - 8, 7));
                });
                stripes(g, coat, INK, 4.4, 1.6, 0.25);
                stripes(g, new Area(head), INK, 3.5, 1.2, 0);
                fillInk(g, new Ellipse2D.Double(hx + r * 0.2, hy + r * 0.1, r * 0.9, r * 0.8), new Color(0xfbf2e0), 0f);
            }
            case 3 -> { // pig: a round snout with nostrils
                fillInk(g, new Ellipse2D.Double(hx + r * 0.55, hy - r * 0.05, r * 0.75, r * 0.7), new Color(0xe57f9a), 1f);
                g.setColor(new Color(0x8a3a4e));
                g.fill(new Ellipse2D.Double(hx + r * 0.75, hy + r * 0.2, 1.4, 1.8));
                g.fill(new Ellipse2D.Double(hx + r * 1.0, hy + r * 0.2, 1.4, 1.8));
            }
            case 5 -> { // lion: muzzle
                fillInk(g, new Ellipse2D.Double(hx + r * 0.2, hy + r * 0.05, r * 0.9, r * 0.75), new Color(0xf5d9a0), 0f);
            }
            case 6 -> { // dog: a long floppy dark ear, black nose, red collar
                fillInk(g, new Ellipse2D.Double(hx - r * 0.7, hy - r * 0.7, r * 0.8, r * 1.7), new Color(0x6e4220), 1f);
                g.setColor(INK);
                g.fill(new Ellipse2D.Double(hx + r * 1.4, hy - r * 0.1, r * 0.45, r * 0.4));
                g.setColor(new Color(0xd8262b));
                g.setStroke(new BasicStroke(2f));
                g.draw(new Line2D.Double(hx - r * 0.9, hy + r * 0.5, hx - r * 0.1, hy + r * 1.1));
            }
            case 7 -> { // cow: black patches, pink muzzle
                clipped(g, coat, () -> {
                    g.setColor(INK);
                    g.fill(new Ellipse2D.Double(-12, -6, 10, 8));
                    g.fill(new Ellipse2D.Double(2, 0, 9, 9));
                    g.fill(new Ellipse2D.Double(-4, -8, 6, 5));
                    g.fill(new Ellipse2D.Double(-17, 3, 7, 7));
                });
                clipped(g, new Area(head), () -> {
                    g.setColor(INK);
                    g.fill(new Ellipse2D.Double(hx - r, hy - r, r * 1.1, r * 1.2));
                });
                fillInk(g, new Ellipse2D.Double(hx + r * 0.9, hy + r * 0.05, r * 0.9, r * 0.8), new Color(0xf2a5b5), 0.8f);
                fillInk(g, new Ellipse2D.Double(-3, 7 + 2, 6, 4), new Color(0xf2a5b5), 0.8f);
            }
            case 8 -> { // cat: whiskers, pink nose, faint tabby marks
                stripes(g, coat, new Color(0x6c717a), 5, 1.0, 0.2);
                g.setColor(new Color(0x33363c));
                g.setStroke(new BasicStroke(0.6f));
                for (int k = -1; k <= 1; k++) {
                    g.draw(new Line2D.Double(hx + r * 0.6, hy + r * 0.35, hx + r * 1.8, hy + r * 0.35 + k * 1.6));
                }
                g.setColor(new Color(0xf08aa0));
                g.fill(new Ellipse2D.Double(hx + r * 0.75, hy + r * 0.05, 2, 1.6));
            }
            default -> { }
        }
    }

    private static void face(Graphics2D g, int animal, double hx, double hy, double r, boolean eyesClosed) {
        double ex = hx + r * 0.35;
        double ey = hy - r * 0.25;
        Color eyeColor = animal == 2 ? new Color(0xf2f2f2) : animal == 8 ? new Color(0x2f8a2f) : INK;
        if (eyesClosed) {
            g.setColor(animal == 2 ? new Color(0xf2f2f2) : INK);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new java.awt.geom.Arc2D.Double(ex - 1.8, ey - 1.5, 3.6, 3, 180, 180, java.awt.geom.Arc2D.OPEN));
        } else {
            g.setColor(eyeColor);
            g.fill(new Ellipse2D.Double(ex - 1.4, ey - 1.4, 2.8, 2.8));
            if (animal == 8) {
                g.setColor(INK);
                g.fill(new Ellipse2D.Double(ex - 0.4, ey - 1.2, 0.8, 2.4));
            }
        }
    }

    // ---- monkey and bird have their own builds ---------------------------------------------------------------------

    private static Anchors monkey(Graphics2D g, Pose pose, boolean eyesClosed, Variation v) {
        Color fur = new Color(0x7a4a24);
        Color skin = new Color(0xf0c89a);
        double lift = pose == Pose.LIE ? 6 : 0;
        Path2D tail = new Path2D.Double();
        tail.moveTo(-6, 10 + lift);
        tail.curveTo(-20, 14, -22, -4, -14, -8);
        tail.curveTo(-9, -11, -8, -4, -12, -3);
        g.setColor(INK);
        g.setStroke(new BasicStroke(3.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(tail);
        g.setColor(fur);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(tail);
        if (pose != Pose.LIE) {
            double spread = pose == Pose.RUN ? 0.6 : 0;
            fillInk(g, AffineTransform.getRotateInstance(spread, -4, 10).createTransformedShape(
                    new Rectangle2D.Double(-6, 10, 4, 11)), fur, 1f);
            fillInk(g, AffineTransform.getRotateInstance(-spread, 4, 10).createTransformedShape(
                    new Rectangle2D.Double(2, 10, 4, 11)), fur, 1f);
        }
        fillInk(g, new Ellipse2D.Double(-9, -4 + lift, 18, 20), fur, 1f);
        fillInk(g, new Ellipse2D.Double(-5, 1 + lift, 10, 12), skin, 0.6f);
        fillInk(g, AffineTransform.getRotateInstance(-0.5, 7, 0 + lift).createTransformedShape(
                new Rectangle2D.Double(6, -1 + lift, 3.5, 13)), fur, 1f);
        double hx = 2;
        double hy = -12 + lift;
        double r = 8;
        fillInk(g, new Ellipse2D.Double(hx - r - 3, hy - 3, 6, 6), skin, 1f);
        fillInk(g, new Ellipse2D.Double(hx + r - 3, hy - 3, 6, 6), skin, 1f);
        fillInk(g, new Ellipse2D.Double(hx - r, hy - r, 2 * r, 2 * r), fur, 1f);
        Area face = new Area(new Ellipse2D.Double(hx - 5.5, hy - 5, 5.8, 7));
        face.add(new Area(new Ellipse2D.Double(hx - 0.3, hy - 5, 5.8, 7)));
        face.add(new Area(new Ellipse2D.Double(hx - 5, hy - 1, 10, 7.5)));
        fillInk(g, face, skin, 0f);
        for (double side : new double[] {-2.5, 2.5}) {
            if (eyesClosed) {
                g.setColor(INK);
                g.setStroke(new BasicStroke(0.9f));
                g.draw(new java.awt.geom.Arc2D.Double(hx + side - 1.5, hy - 3.2, 3, 2.6, 180, 180,
                        java.awt.geom.Arc2D.OPEN));
            } else {
                g.setColor(INK);
                g.fill(new Ellipse2D.Double(hx + side - 1.2, hy - 3, 2.4, 2.6));
            }
        }
        g.setColor(new Color(0x6a3a1a));
        g.setStroke(new BasicStroke(0.8f));
        g.draw(new java.awt.geom.Arc2D.Double(hx - 2.5, hy, 5, 3.5, 200, 140, java.awt.geom.Arc2D.OPEN));
        return new Anchors(new Point2D.Double(hx + 2.5, hy - 2), new Point2D.Double(hx + 3, hy + 3),
                new Point2D.Double(hx, hy - r), new Point2D.Double(-8, 0), pose == Pose.LIE ? 16 + lift : 21, r);
    }

    private static Anchors bird(Graphics2D g, Pose pose, boolean eyesClosed, Variation v) {
        Color feathers = new Color(0x2f78d6);
        Color belly = new Color(0xf6d64a);
        double lift = pose == Pose.LIE ? 6 : 0;
        if (pose != Pose.LIE) {
            g.setColor(new Color(0xe0902a));
            g.setStroke(new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            double spread = pose == Pose.RUN ? 4 : 0;
            g.draw(new Line2D.Double(-2, 10, -3 - spread, 18));
            g.draw(new Line2D.Double(3, 10, 4 + spread, 18));
            g.draw(new Line2D.Double(-5 - spread, 18, -1 - spread, 18));
            g.draw(new Line2D.Double(2 + spread, 18, 6 + spread, 18));
        }
        Path2D tail = new Path2D.Double();
        tail.moveTo(-9, 0 + lift);
        tail.lineTo(-21, 2 + lift);
        tail.lineTo(-19, 8 + lift);
        tail.lineTo(-8, 6 + lift);
        tail.closePath();
        fillInk(g, tail, feathers.darker(), 1f);
        fillInk(g, new Ellipse2D.Double(-12, -8 + lift, 24, 20), feathers, 1f);
        fillInk(g, new Ellipse2D.Double(-4, 0 + lift, 14, 11), belly, 0f);
        Path2D wing = new Path2D.Double();
        wing.moveTo(-8, -2 + lift);
        wing.quadTo(0, -6 + lift, 5, 1 + lift);
        wing.quadTo(-2, 8 + lift, -11, 5 + lift);
        wing.closePath();
        fillInk(g, wing, new Color(0x1d4f9a), 1f);
        double hx = 10;
        double hy = -10 + lift;
        double r = 6.5;
        fillInk(g, new Ellipse2D.Double(hx - r, hy - r, 2 * r, 2 * r), feathers, 1f);
        fillInk(g, triangle(hx + r - 1, hy - 2.2, hx + r + 6, hy + 0.5, hx + r - 1, hy + 2.6), new Color(0xf29a1c), 1f);
        face(g, 9, hx, hy, r, eyesClosed);
        return new Anchors(new Point2D.Double(hx + r * 0.35, hy - r * 0.25), new Point2D.Double(hx + r + 4, hy + 1),
                new Point2D.Double(hx, hy - r), new Point2D.Double(-4, -8 + lift), pose == Pose.LIE ? 12 + lift : 18, r);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    static void fillInk(Graphics2D g, Shape shape, Color fill, float outline) {
        g.setColor(fill);
        g.fill(shape);
        if (outline > 0) {
            g.setColor(INK);
            g.setStroke(new BasicStroke(outline, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(shape);
        }
    }

    private static void stripes(Graphics2D g, Area region, Color color, double spacing, double width, double slant) {
        clipped(g, region, () -> {
            g.setColor(color);
            g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            java.awt.Rectangle r = region.getBounds();
            for (double x = r.x - 6; x < r.getMaxX() + 6; x += spacing) {
                Path2D stripe = new Path2D.Double();
                stripe.moveTo(x, r.y - 1);
                stripe.quadTo(x + 2 + slant * 8, r.getCenterY(), x + slant * 14, r.getMaxY() + 1);
                g.draw(stripe);
            }
        });
    }

    private static void clipped(Graphics2D g, Shape region, Runnable paint) {
        Shape clip = g.getClip();
        g.clip(region);
        paint.run();
        g.setClip(clip);
    }

    private static Shape triangle(double x0, double y0, double x1, double y1, double x2, double y2) {
        Path2D path = new Path2D.Double();
        path.moveTo(x0, y0);
        path.lineTo(x1, y1);
        path.lineTo(x2, y2);
        path.closePath();
        return path;
    }
}

package dev.thinkdiff.text;

import dev.thinkdiff.cobsat.Cell;
import dev.thinkdiff.cobsat.ItemList;
import dev.thinkdiff.cobsat.Theme;
import dev.thinkdiff.world.Captions;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An endless, seeded stream of English about the world, far broader than the captions: every caption phrasing,
 * prompt-style requests ("create an image of a green car"), compositions across themes, other word orders and longer
 * descriptions. The LLM decoder learns to read the prompt encoder's space from it, so that it reads robust semantic
 * directions rather than the codes of a few hundred captions.
 */
public final class TextCorpus {

    /** The answer phrasing the VLM uses in every mode, captioning and in-context alike. */
    public static final String ANSWER_PREFIX = "create an image of ";

    /**
     * Instructions the VLM is given around images, in captioning and in-context modes (part of the shared
     * vocabulary, so every model can read and write them).
     */
    public static final List<String> INSTRUCTIONS = List.of(
            "describe the image",
            "describe the image in detail",
            "generate a prompt that can recreate the image",
            "what is in the picture?",
            "what is shown in this image?",
            "give me a detailed diffusion prompt for the next picture",
            "analyse the pattern of the texts and images and decide what the next picture is.",
            "then give me a detailed diffusion prompt to generate the next picture. start the answer with"
                    + " create an image",
            "the next picture is",
            "answer:",
            "image:",
            "word 1:",
            "word 2:",
            "word 3:",
            "word 4:",
            "word 5:",
            "word 6:");

    private static final List<String> REQUESTS = List.of(
            "create an image of ", "generate an image of ", "draw ", "make a picture of ", "paint ",
            "show me ", "render ", "an image of ", "a picture of ", "please draw ");
    private static final List<String> ADJECTIVES = List.of(
            "small", "large", "cute", "simple", "bright", "little", "big", "happy", "clean", "lovely");
    private static final List<String> TEXTURE_ADJECTIVES = List.of(
            "wooden", "wicker", "sequined", "plastic", "paper", "metal", "leather", "lace", "denim", "ceramic");
    private static final List<String> PLACES = List.of(
            "on the beach", "in the desert", "on a glacier", "near a volcano", "in an amusement park", "in a gym",
            "by a waterfall", "in space", "in a cave", "on the seafloor");
    private static final List<String> ACTIONS = List.of(
            "swimming", "sleeping", "singing", "running", "reading", "flying", "eating", "drinking", "crying",
            "looking angry");
    private static final List<String> STATES = List.of(
            "swimming", "asleep", "singing", "running", "reading a book", "flying", "eating", "drinking", "crying",
            "angry");

    private TextCorpus() {
    }

    /** The VLM's answer for a cell: {@code "create an image of a green car"}. */
    public static String answer(Cell cell) {
        return ANSWER_PREFIX + Captions.caption(cell);
    }

    /** One sentence; the same random state always gives the same sentence. */
    public static String sentence(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0, 1 -> caption(random);
            case 2 -> REQUESTS.get(random.nextInt(REQUESTS.size())) + Captions.caption(randomCell(random));
            case 3 -> answer(randomCell(random));
            case 4 -> composedObject(random);
            case 5 -> composedAnimal(random);
            case 6 -> reordered(random);
            default -> description(random);
        };
    }

    /** A caption of a random cell in a random phrasing. */
    public static String caption(SplittableRandom random) {
        Cell cell = randomCell(random);
        return Captions.caption(cell, random.nextInt(Captions.phrasings(cell.theme())));
    }

    public static Cell randomCell(SplittableRandom random) {
        return new Cell(Theme.values()[random.nextInt(Theme.values().length)], random.nextInt(ItemList.SIZE),
                random.nextInt(ItemList.SIZE));
    }

    /** Several attributes on one object, or two subjects side by side. */
    private static String composedObject(SplittableRandom random) {
        String object = pick(random, ItemList.OBJECT);
        String color = pick(random, ItemList.COLOR);
        String style = pick(random, ItemList.STYLE);
        String texture = TEXTURE_ADJECTIVES.get(random.nextInt(ItemList.SIZE));
        return switch (random.nextInt(5)) {
            case 0 -> Captions.withArticle(color + " " + texture + " " + object);
            case 1 -> Captions.withArticle(color + " " + object) + " in " + style + " style";
            case 2 -> Captions.withArticle(texture + " " + object) + " and " + Captions.caption(randomCell(random));
            case 3 -> Captions.withArticle(ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + " " + color + " "
                    + object) + " next to " + Captions.withArticle(pick(random, ItemList.OBJECT));
            default -> Captions.withArticle(style + " " + object) + " made of " + pick(random, ItemList.TEXTURE);
        };
    }

    private static String composedAnimal(SplittableRandom random) {
        String animal = pick(random, ItemList.ANIMAL);
        int action = random.nextInt(ItemList.SIZE);
        String place = PLACES.get(random.nextInt(ItemList.SIZE));
        return switch (random.nextInt(4)) {
            case 0 -> Captions.withArticle(animal) + " " + ACTIONS.get(action) + " " + place;
            case 1 -> "two animals, " + Captions.withArticle(animal) + " and " + Captions.withArticle(
                    pick(random, ItemList.ANIMAL)) + ", " + place;
            case 2 -> Captions.withArticle(ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + " " + animal)
                    + " that is " + STATES.get(action);
            default -> Captions.withArticle(animal) + " " + ACTIONS.get(action) + " next to "
                    + Captions.withArticle(pick(random, ItemList.OBJECT));
        };
    }

    /** The same content in another word order. */
    private static String reordered(SplittableRandom random) {
        Cell cell = randomCell(random);
        String subject = cell.theme().subjects().display(cell.subject());
        String attribute = cell.theme().attributes().display(cell.attribute());
        return switch (cell.theme()) {
            case COLOR -> random.nextBoolean() ? "the " + subject + " is " + attribute
                    : attribute + " is the color of the " + subject;
            case TEXTURE -> random.nextBoolean() ? "the " + subject + " is made of " + attribute
                    : attribute + " covers the " + subject;
            case STYLE -> random.nextBoolean() ? "the " + subject + " is drawn in " + attribute + " style"
                    : "in " + attribute + " style, " + Captions.withArticle(subject);
            case BACKGROUND -> random.nextBoolean() ? PLACES.get(cell.attribute()) + " there is "
                    + Captions.withArticle(subject) : "the " + subject + " is " + PLACES.get(cell.attribute());
            case ACTION -> random.nextBoolean() ? "the " + subject + " is " + STATES.get(cell.attribute())
                    : ACTIONS.get(cell.attribute()) + " is what the " + subject + " is doing";
        };
    }

    /** A longer description of one cell in two or three sentences. */
    private static String description(SplittableRandom random) {
        Cell cell = randomCell(random);
        String subject = cell.theme().subjects().display(cell.subject());
        String second = switch (cell.theme()) {
            case COLOR -> "it is " + cell.theme().attributes().display(cell.attribute()) + ".";
            case TEXTURE -> "it is made of " + cell.theme().attributes().display(cell.attribute()) + ".";
            case STYLE -> "it is drawn in " + cell.theme().attributes().display(cell.attribute()) + " style.";
            case BACKGROUND -> "it is " + PLACES.get(cell.attribute()) + ".";
            case ACTION -> "it is " + STATES.get(cell.attribute()) + ".";
        };
        String opening = random.nextBoolean() ? "this picture shows " + Captions.withArticle(subject) + ". "
                : "there is " + Captions.withArticle(subject) + " in the image. ";
        return opening + second + (random.nextBoolean() ? " the background is simple." : "");
    }

    private static String pick(SplittableRandom random, ItemList list) {
        return list.display(random.nextInt(ItemList.SIZE));
    }
}

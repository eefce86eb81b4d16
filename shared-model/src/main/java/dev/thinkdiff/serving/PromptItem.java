package dev.thinkdiff.serving;

import dev.thinkdiff.vlm.VlmItem;
import java.util.ArrayList;
import java.util.List;

/**
 * One item of an interleaved prompt on the wire: exactly one of {@code text} and {@code image} (base64 PNG/JPEG, any
 * size: it is scaled to the VLM's 64×64).
 */
public record PromptItem(String text, String image) {

    /**
     * The interleaved prompt {@code items} names: texts checked, images decoded (header first); at most
     * {@code shots} images and 2·shots+2 items.
     */
    public static List<VlmItem> read(String field, List<PromptItem> items, ServingConfig.Limits limits) {
        int maxItems = 2 * limits.shots() + 2;
        if (items.isEmpty()) {
            throw RequestException.badInput(field, "must not be empty");
        }
        if (items.size() > maxItems) {
            throw RequestException.tooLarge(field, items.size() + " items; at most " + maxItems);
        }
        List<VlmItem> prompt = new ArrayList<>(items.size());
        int images = 0;
        for (int i = 0; i < items.size(); i++) {
            String at = field + "[" + i + "]";
            PromptItem item = Fields.required(at, items.get(i));
            Fields.exactlyOne(at + ".text|image", item.text(), item.image());
            if (item.text() != null) {
                prompt.add(VlmItem.text(Fields.text(at + ".text", item.text(), limits.textChars())));
            } else if (++images > limits.shots()) {
                throw RequestException.tooLarge(at + ".image", "more than " + limits.shots()
                        + " images (the shot limit)");
            } else {
                prompt.add(VlmItem.image(ImageInput.decode(at + ".image", item.image(), limits)));
            }
        }
        return prompt;
    }
}

package dev.thinkdiff.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ModelRefTest {

    private static final ModelRef REF = new ModelRef("cobsat", "judge", "v1");

    @Test
    void refsAreSingleKeySegments() {
        assertEquals("cobsat/judge/v1", REF.toString());
        for (String bad : new String[] {"", " ", "a/b", "a\\b", "..", "v..1", ".hidden"}) {
            assertThrows(IllegalArgumentException.class, () -> new ModelRef("cobsat", "judge", bad), bad);
            assertThrows(IllegalArgumentException.class, () -> new ModelRef(bad, "judge", "v1"), bad);
            assertThrows(IllegalArgumentException.class, () -> new ModelRef("cobsat", bad, "v1"), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> new ModelRef("cobsat", "judge", null));
    }
}

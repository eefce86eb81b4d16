package dev.thinkdiff.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageTimingsTest {

    @Test
    void anUnbilledStageIsShownButNotBilledEvenInsideABilledOne() {
        List<String> observed = new ArrayList<>();
        StageTimings timings = new StageTimings((stage, nanos) -> observed.add(stage));
        String value = timings.time("read-prompt", () -> timings.unbilled("await-clip", () -> {
            sleep(300);
            return "loaded";
        }));
        assertEquals("loaded", value);
        assertEquals(List.of("await-clip", "read-prompt"), observed);
        assertTrue(timings.millis().get("await-clip") >= 300, timings.millis().toString());
        assertTrue(timings.millis().get("read-prompt") >= 300, timings.millis().toString());
        assertTrue(timings.billedMillisCeil() < 150, "billed " + timings.billedMillisCeil() + " ms");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

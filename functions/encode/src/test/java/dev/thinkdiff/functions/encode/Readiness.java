package dev.thinkdiff.functions.encode;

import static io.restassured.RestAssured.given;

/** Waits until the function reports ready: models load in the background after start. */
final class Readiness {

    private Readiness() {
    }

    static void await() throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String last = "";
        while (System.nanoTime() < deadline) {
            var response = given().get("/q/health/ready");
            if (response.statusCode() == 200) {
                return;
            }
            last = response.asString();
            Thread.sleep(250);
        }
        throw new AssertionError("not ready after 120 s: " + last);
    }
}

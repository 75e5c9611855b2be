package dev.genpipe.systemtests;

/**
 * The secret values the system tests configure. After the suite, {@code run-tests.sh} scans every log and report the
 * tests wrote for them (the list is in {@code src/test/resources/test-secrets.txt}): none may appear.
 */
final class TestSecrets {

    static final String ADMIN_TOKEN = "admin-Zq8vX2pL7mK4wR9t";
    static final String GEMINI_KEY = "gemini-Jd3nB6yH1sQ5cV0u";
    static final String ALICE_KEY = "gpk-alice-Tm7eW2rN9xC4bL6k";
    static final String BOB_KEY = "gpk-bob-Yh5fA8dS3gJ1pO7z";
    static final String CAROL_KEY = "gpk-carol-Ue2iK9oM4vB6nX1q";
    static final String DAVE_KEY = "gpk-dave-Rw4tZ7yP2lD9sF3h";
    static final String WEBHOOK_SECRET = "whsec_Z2VucGlwZS1zeXN0ZW0tdGVzdC13ZWJob29rLWtleS1ONHE3";

    private TestSecrets() {
    }
}

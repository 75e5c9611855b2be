package dev.genpipe.api.webhooks;

/** One delivery attempt's answer: the receiver's HTTP status, or why there was none. */
record Attempt(Integer status, String error) {

    static Attempt answered(int status) {
        return new Attempt(status, null);
    }

    static Attempt failed(String error) {
        return new Attempt(null, error);
    }

    boolean delivered() {
        return status != null && status >= 200 && status < 300;
    }
}

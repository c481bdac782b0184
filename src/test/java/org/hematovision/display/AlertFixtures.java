package org.hematovision.display;

import org.hematovision.sample.Alert;

/** Alerts for tests outside this package. */
public final class AlertFixtures {
    private AlertFixtures() {
    }

    public static Alert abnormal() {
        return ScreenFixtures.abnormal();
    }

    public static Alert review() {
        return ScreenFixtures.review();
    }
}

package org.hematovision.sample;

/** The {@code reason} strings a sample is finished with (they appear in records and MQTT messages). */
public final class FinishReason {

    /** The target number of leukocytes was counted. */
    public static final String TARGET = "target";
    /** {@code sample.maxFields} fields were analysed before the target. */
    public static final String FIELD_LIMIT = "field-limit";
    /** {@code sample.maxMinutes} passed before the target. */
    public static final String TIME_LIMIT = "time-limit";
    /** The operator finished it (button, CLI, remote). */
    public static final String OPERATOR = "operator";
    /** The operator started a new sample while this one was open. */
    public static final String NEW_SAMPLE = "new-sample";
    /** The operator aborted it: the record is kept but marked cancelled. */
    public static final String ABORTED = "aborted";
    /** The service stopped cleanly while it was open. */
    public static final String SHUTDOWN = "shutdown";
    /** It was open when the appliance crashed or lost power, and the configuration says not to resume. */
    public static final String INCOMPLETE_AFTER_RESTART = "incomplete-after-restart";

    private FinishReason() {
    }
}

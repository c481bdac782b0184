package org.hematovision.sample;

/**
 * What an operator can ask of the running appliance: from the board's buttons, the CLI or a
 * validated remote command. Implementations are thread-safe: requests arrive on input threads
 * and are carried out by the pipeline thread.
 */
public interface SampleControl {

    /** Close the current sample (if any) and start a new one. */
    void newSample();

    /** Finish the current sample now, or acknowledge the alert on screen if one is held. */
    void finishOrAcknowledge();

    /** Stop the service cleanly (long press): finish writing, outputs to a safe state. */
    void shutdown();
}

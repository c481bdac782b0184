package org.hematovision.field;

/** The gate's verdict on one frame: analyse it as a new field, or skip it with a reason. */
public sealed interface GateDecision {

    FieldQuality quality();

    record Analyse(Field field) implements GateDecision {
        @Override
        public FieldQuality quality() {
            return field.quality();
        }
    }

    record Skip(SkipReason reason, FieldQuality quality) implements GateDecision {
    }
}

package org.hematovision.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.hematovision.sample.FlagConfig;
import org.hematovision.sample.ReportBuilder;
import org.hematovision.sample.Sample;
import org.hematovision.sample.SampleConfig;
import org.hematovision.sample.SampleJournal;
import org.hematovision.sample.SampleManager;
import org.hematovision.sample.SyntheticFields;

/**
 * Child JVM for {@link CrashRecoveryTest}: counts fields of three cells (one for review) as fast as it
 * can into a store, printing {@code COUNTED i} after each field is acknowledged, until it is killed.
 */
public final class CrashChild {

    public static final List<String> CELLS = List.of("neutrophil", "lymphocyte", "review");

    public static void main(String[] args) {
        Path storeDir = Path.of(args[0]);
        Clock clock = Clock.systemUTC();
        StoreConfig config = StoreConfig.at(storeDir);
        SampleJournal journal = new SampleJournal(config.journalDir());
        RecordingListener recorder = new RecordingListener(new RecordStore(config, clock), journal,
                new ReportBuilder(FlagConfig.defaults()), CrashRecoveryTest.DEVICE, clock, stored -> { });
        SampleManager m = new SampleManager(new SampleConfig(1000, 0, 0, true), journal, SyntheticFields.LABELS,
                SyntheticFields.EXCLUDED, recorder, clock);
        Sample s = m.open();
        System.out.println("SAMPLE " + s.id());
        System.out.flush();
        for (int i = 0; ; i++) {
            m.add(SyntheticFields.field(s.id(), i, clock.instant(), CELLS, 20, 1));
            System.out.println("COUNTED " + i);
            System.out.flush();
        }
    }
}

package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A continuous JFR recording of an audited app shows dax-audit's events, read back with jdk.jfr.consumer. */
class JfrIT {
    @TempDir
    Path tmp;

    private List<RecordedEvent> recorded(Jdk jdk, String sample) throws Exception {
        Path jfr = tmp.resolve(sample.replace(' ', '-') + "-" + jdk.feature + ".jfr");
        SampleRun run = SampleRun.run(jdk, sample, tmp, "", "-XX:StartFlightRecording=filename=" + jfr);
        assertEquals(0, run.exitCode, run.stderr);
        List<RecordedEvent> ours = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().startsWith("dev.daxaudit.")) {
                ours.add(e);
            }
        }
        return ours;
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        List<RecordedEvent> out = new ArrayList<>();
        for (RecordedEvent e : events) {
            if (e.getEventType().getName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void mapForceAndHazardEvents(Jdk jdk) throws Exception {
        List<RecordedEvent> events = recorded(jdk, "TruncateUnsynced");
        List<RecordedEvent> maps = named(events, "dev.daxaudit.Map");
        assertEquals(2, maps.size());
        assertTrue(maps.get(0).getString("file").endsWith("setlength.dat"));
        assertEquals("READ_WRITE", maps.get(0).getString("mode"));
        assertEquals(4 * 4096, maps.get(0).getLong("length"));
        assertEquals("bytecode", maps.get(0).getString("tracker"));
        RecordedEvent force = named(events, "dev.daxaudit.Writeback").get(0);
        assertEquals("MSYNC", force.getString("kind"));
        assertEquals(4096, force.getLong("bytesFlushed"));
        assertTrue(force.getBoolean("completed"));
        assertTrue(!force.getDuration().isNegative());
        assertTrue(force.getStackTrace().getFrames().stream()
                .anyMatch(f -> f.getMethod().getType().getName().equals("dev.daxaudit.samples.TruncateUnsynced")));
        List<RecordedEvent> hazards = named(events, "dev.daxaudit.Hazard");
        assertEquals(2, hazards.size());
        assertEquals("H1", hazards.get(0).getString("code"));
        assertTrue(hazards.get(0).getString("second").startsWith("truncate on main at "), hazards.get(0).toString());
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void unsyncedDataAtUnmap(Jdk jdk) throws Exception {
        List<RecordedEvent> unmaps = named(recorded(jdk, "UnmapUnsynced hazard"), "dev.daxaudit.UnsyncedAtUnmap");
        assertEquals(1, unmaps.size());
        assertEquals(2 * 4096, unmaps.get(0).getLong("bytes"));
        assertTrue(unmaps.get(0).getString("file").endsWith("dropped.dat"));
    }
}

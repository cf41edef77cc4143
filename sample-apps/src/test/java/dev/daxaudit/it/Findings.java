package dev.daxaudit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the findings of a JSON report as one line each, with everything but timings, so a test can compare
 * them exactly: {@code KIND file [start,end)... sites=[Class.method:line xN, ...] threads=[...]}, then the context
 * that is present: {@code unmapped=N@Class.method:line/thread}, {@code closed@...}, {@code race=N store@... force@...}.
 * Timings are checked for shape only (present, non-negative).
 */
final class Findings {
    private Findings() {
    }

    static List<String> of(JsonNode report, Path dir) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : report.get("findings")) {
            Path file = Path.of(f.get("file").asText());
            assertTrue(file.isAbsolute(), "file must be absolute: " + file);
            StringBuilder sb = new StringBuilder(f.get("kind").asText()).append(' ').append(dir.relativize(file));
            long pages = 0;
            for (JsonNode r : f.get("ranges")) {
                long start = r.get("start").asLong();
                long end = r.get("end").asLong();
                assertEquals(0, start % 4096, "ranges are page-aligned");
                assertEquals(0, end % 4096, "ranges are page-aligned");
                assertTrue(r.get("unsyncedMillis").asDouble() >= 0);
                pages += (end - start) / 4096;
                sb.append(" [").append(start).append(',').append(end).append(')');
            }
            assertEquals(pages, f.get("pages").asLong(), "pages match the ranges");
            List<String> sites = new ArrayList<>();
            for (JsonNode s : f.get("sites")) {
                sites.add(site(s) + " x" + s.get("count").asLong());
            }
            sb.append(" sites=").append(sites);
            List<String> threads = new ArrayList<>();
            f.get("threads").forEach(t -> threads.add(t.asText()));
            sb.append(" threads=").append(threads);
            JsonNode unmapped = f.get("unmapped");
            if (!unmapped.isNull()) {
                sb.append(" unmapped=").append(unmapped.get("pages").asLong()).append('@')
                        .append(actor(unmapped.get("lastUnmap")));
            }
            if (!f.get("closed").isNull()) {
                sb.append(" closed@").append(actor(f.get("closed")));
            }
            JsonNode race = f.get("race");
            if (!race.isNull()) {
                sb.append(" race=").append(race.get("pages").asLong()).append(" store@")
                        .append(actor(race.get("store"))).append(" force@").append(actor(race.get("force")));
            }
            assertTrue(f.get("explanation").asText().length() > 40, "each finding explains itself");
            out.add(sb.toString());
        }
        return out;
    }

    /** {@code Class.method:line/thread} of one side of a finding's context. */
    static String actor(JsonNode a) {
        return site(a.get("site")) + "/" + a.get("thread").asText();
    }

    static String site(JsonNode s) {
        String fileName = s.get("fileName").asText();
        String className = s.get("className").asText();
        if (s.get("fileName").isNull()) {
            return className + "." + s.get("method").asText() + ":" + s.get("line").asInt();
        }
        assertEquals(className.substring(className.lastIndexOf('.') + 1).replaceAll("\\$.*", "") + ".java", fileName);
        return className + "." + s.get("method").asText() + ":" + s.get("line").asInt();
    }
}

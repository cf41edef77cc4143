package dev.daxaudit.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.daxaudit.agent.report.ReportDocument;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code diff <old.json> <new.json>}: findings and hazards that are new, and those that were fixed. A finding is
 * the same across runs when its kind, file and dirtying sites are; a hazard when its kind, file and both sites
 * are (byte ranges and timings may move with the data). Exit status 1 when anything is new, for CI gates.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two reports: new and fixed findings and hazards. Exit status 0: nothing new; 1: "
                + "something new; 2: bad input.")
final class DiffCommand implements Callable<Integer> {
    static final int SOMETHING_NEW = 1;

    @Parameters(index = "0", paramLabel = "<old.json>")
    Path before;

    @Parameters(index = "1", paramLabel = "<new.json>")
    Path after;

    @Override
    public Integer call() throws Exception {
        Set<String> old = keys(ReportDocument.read(before));
        Set<String> now = keys(ReportDocument.read(after));
        int added = 0;
        for (String k : now) {
            if (!old.contains(k)) {
                System.out.println("NEW   " + k);
                added++;
            }
        }
        int fixed = 0;
        for (String k : old) {
            if (!now.contains(k)) {
                System.out.println("FIXED " + k);
                fixed++;
            }
        }
        System.out.println(added + " new, " + fixed + " fixed, " + (now.size() - added) + " unchanged");
        return added > 0 ? SOMETHING_NEW : 0;
    }

    private static Set<String> keys(ReportDocument report) {
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode f : report.root().path("findings")) {
            StringBuilder sb = new StringBuilder(f.path("kind").asText()).append(' ').append(f.path("file").asText());
            for (JsonNode s : f.path("sites")) {
                sb.append(' ').append(site(s));
            }
            keys.add(sb.toString());
        }
        for (JsonNode h : report.root().path("hazards")) {
            StringBuilder sb = new StringBuilder(h.path("code").asText()).append(' ').append(h.path("kind").asText())
                    .append(' ').append(h.path("file").asText());
            for (JsonNode a : h.path("threads")) {
                sb.append(' ').append(a.isNull() ? "-" : a.path("operation").asText() + "@" + site(a.path("site")));
            }
            keys.add(sb.toString());
        }
        return keys;
    }

    private static String site(JsonNode s) {
        return s.isNull() ? "-" : s.path("className").asText() + "." + s.path("method").asText() + ":"
                + s.path("line").asInt();
    }
}

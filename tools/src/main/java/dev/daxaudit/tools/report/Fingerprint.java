package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What makes a finding or hazard the same one across runs: its kind, its file's path relative to a root (its name
 * alone when it lies outside the root, as files in temporary directories do), and the
 * class and method of its code sites. Not the line numbers (a comment added above the site moves them) and not the
 * absolute path (a checkout moves): those only break ties between findings of equal fingerprint. {@code diff} matches
 * by it, and SARIF results carry its hash as {@code partialFingerprints}, so code-scanning tools track a result
 * across commits the same way.
 */
public final class Fingerprint {
    /** How a file's path enters the fingerprint. */
    public static final class Paths {
        private final Path root;
        private final boolean namesOnly;

        private Paths(Path root, boolean namesOnly) {
            this.root = root;
            this.namesOnly = namesOnly;
        }

        /** Relative to {@code root}, or with {@code root} null to each report's own working directory. */
        public static Paths relativeTo(Path root) {
            return new Paths(root, false);
        }

        /** The file name alone: for files in temporary directories that differ on every run. */
        public static Paths namesOnly() {
            return new Paths(null, true);
        }

        String of(String file, JsonNode report) {
            Path p = java.nio.file.Paths.get(file);
            if (namesOnly) {
                return p.getFileName() == null ? file : p.getFileName().toString();
            }
            Path base = root != null ? root : report.path("workingDirectory").isTextual()
                    ? java.nio.file.Paths.get(report.path("workingDirectory").asText()) : null;
            if (base != null && p.isAbsolute() && p.startsWith(base.toAbsolutePath())) {
                return base.toAbsolutePath().relativize(p).toString();
            }
            // Outside the root: a temporary directory or a machine's data directory, whose path changes from run to
            // run and machine to machine; the name is the part that stays.
            return p.getFileName() == null ? file : p.getFileName().toString();
        }
    }

    private final String key;
    private final String lines;

    private Fingerprint(String key, String lines) {
        this.key = key;
        this.lines = lines;
    }

    /** {@code key}: the fingerprint; {@code lines}: the sites with their lines, to break ties. */
    public String key() {
        return key;
    }

    public String lines() {
        return lines;
    }

    public static Fingerprint ofFinding(JsonNode f, JsonNode report, Paths paths) {
        TreeSet<String> methods = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (JsonNode s : f.path("sites")) {
            methods.add(method(s));
            lines.add(method(s) + ":" + s.path("line").asInt());
        }
        return new Fingerprint(f.path("kind").asText() + " " + paths.of(f.path("file").asText(), report) + " at "
                + String.join(", ", methods), String.join(", ", lines));
    }

    public static Fingerprint ofHazard(JsonNode h, JsonNode report, Paths paths) {
        StringBuilder key = new StringBuilder(h.path("code").asText()).append(' ').append(h.path("kind").asText())
                .append(' ').append(paths.of(h.path("file").asText(), report));
        StringBuilder lines = new StringBuilder();
        for (JsonNode a : h.path("threads")) {
            String side = a.isNull() ? "-" : a.path("operation").asText() + "@" + method(a.path("site"));
            key.append(' ').append(side);
            lines.append(side).append(':').append(a.path("site").path("line").asInt()).append(' ');
        }
        return new Fingerprint(key.toString(), lines.toString().trim());
    }

    private static String method(JsonNode site) {
        return site.isNull() || site.isMissingNode() ? "-" : site.path("className").asText() + "."
                + site.path("method").asText();
    }

    /** The fingerprint as SARIF's {@code partialFingerprints} value: a SHA-256 of the key, in hex. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (byte b : digest) {
                sb.append(String.format("%02x", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}

package dev.daxaudit.tools.report;

import dev.daxaudit.core.report.Actor;
import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.Hazard;
import dev.daxaudit.core.report.Site;
import dev.daxaudit.core.report.SiteCount;

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

        String of(String file, AuditReport report) {
            Path p = java.nio.file.Paths.get(file);
            if (namesOnly) {
                return p.getFileName() == null ? file : p.getFileName().toString();
            }
            Path base = root != null ? root : report.workingDirectory() != null
                    ? java.nio.file.Paths.get(report.workingDirectory()) : null;
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

    public static Fingerprint ofFinding(Finding f, AuditReport report, Paths paths) {
        TreeSet<String> methods = new TreeSet<>();
        List<String> lines = new ArrayList<>();
        for (SiteCount s : f.sites()) {
            methods.add(method(s.site()));
            lines.add(method(s.site()) + ":" + line(s.site()));
        }
        return new Fingerprint(f.kind().name() + " " + paths.of(f.file(), report) + " at "
                + String.join(", ", methods), String.join(", ", lines));
    }

    public static Fingerprint ofHazard(Hazard h, AuditReport report, Paths paths) {
        StringBuilder key = new StringBuilder(h.kind().code()).append(' ').append(h.kind().name())
                .append(' ').append(paths.of(h.file(), report));
        StringBuilder lines = new StringBuilder();
        for (Actor a : new Actor[] {h.first(), h.second()}) {
            String side = a == null ? "-" : a.operation() + "@" + method(a.site());
            key.append(' ').append(side);
            lines.append(side).append(':').append(a == null ? 0 : line(a.site())).append(' ');
        }
        return new Fingerprint(key.toString(), lines.toString().trim());
    }

    private static String method(Site site) {
        return site == null ? "-" : site.className() + "." + site.method();
    }

    /** The site's line, 0 where there is no site. */
    private static int line(Site site) {
        return site == null ? 0 : site.line();
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

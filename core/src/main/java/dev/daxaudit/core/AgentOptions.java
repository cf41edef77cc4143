package dev.daxaudit.core;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The agent's options, written JaCoCo-style as {@code key=value,key=value}. Lists inside a value are separated
 * by {@code :}. This class knows every valid key, so a bad option gets one precise message.
 */
public final class AgentOptions {
    /** Output formats of the exit report. */
    public enum Format { JSON, TEXT }

    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("report", "path of the JSON report (default dax-audit-report.json)");
        KEYS.put("formats", "json, text or json:text (default json:text)");
        KEYS.put("include", "globs of file paths to audit, ':'-separated (default: all)");
        KEYS.put("exclude", "globs of file paths not to audit, ':'-separated");
        KEYS.put("model", "auto (from the file's filesystem), dax or page-cache (default auto)");
        KEYS.put("entries", "auto (PMD entries on DAX where fs/dax.c would use them) or pte (default auto)");
        KEYS.put("zeroing", "fs (new blocks zeroed inside the filesystem's allocation, today's kernels) or "
                + "dax-generic (the 2015 generic DAX zeroing after get_block, outside any lock) (default fs)");
        KEYS.put("storedBytes", "true counts every byte stored through mappings, at a cost on each store (default false)");
        KEYS.put("failOnFindings", "true makes the JVM exit with status 77"
                + " at shutdown when there are findings or hazards (default false)");
        KEYS.put("strict", "true makes a bad option stop the JVM instead of running unaudited (default false)");
    }

    private final Map<String, String> given;
    private final String report;
    private final Set<Format> formats;
    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;
    private final Storage.Model model;
    private final boolean pmdEntries;
    private final boolean strict;
    private final boolean countStoredBytes;
    private final boolean zeroingInFs;
    private final boolean failOnFindings;

    private AgentOptions(Map<String, String> given) throws OptionsException {
        this.given = given;
        this.report = given.getOrDefault("report", "dax-audit-report.json");
        if (report.isEmpty()) {
            throw bad("report", report, "a file path");
        }
        this.formats = parseFormats(given.getOrDefault("formats", "json:text"));
        this.include = globs("include", given.get("include"));
        this.exclude = globs("exclude", given.get("exclude"));
        this.model = parseModel(given.getOrDefault("model", "auto"));
        this.pmdEntries = parseChoice("entries", given.getOrDefault("entries", "auto"), "auto", "pte");
        this.strict = parseChoice("strict", given.getOrDefault("strict", "false"), "true", "false");
        this.failOnFindings = parseChoice("failOnFindings", given.getOrDefault("failOnFindings", "false"), "true",
                "false");
        this.zeroingInFs = parseChoice("zeroing", given.getOrDefault("zeroing", "fs"), "fs", "dax-generic");
        this.countStoredBytes = parseChoice("storedBytes", given.getOrDefault("storedBytes", "false"), "true",
                "false");
    }

    /** Parses an option string; null or empty gives the defaults. */
    public static AgentOptions parse(String text) throws OptionsException {
        Map<String, String> given = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new OptionsException("dax-audit: bad option '" + pair + "': expected key=value; valid keys: "
                            + validKeys());
                }
                String key = pair.substring(0, eq);
                if (!KEYS.containsKey(key)) {
                    throw new OptionsException("dax-audit: unknown option '" + key + "'; valid keys: " + validKeys());
                }
                given.put(key, pair.substring(eq + 1));
            }
        }
        return new AgentOptions(given);
    }

    /** Whether the raw option text asks for strict handling, read even when the rest does not parse. */
    public static boolean asksStrict(String text) {
        return text != null && ("," + text + ",").contains(",strict=true,");
    }

    private static String validKeys() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : KEYS.entrySet()) {
            sb.append(sb.length() == 0 ? "" : "; ").append(e.getKey()).append(" (").append(e.getValue()).append(')');
        }
        return sb.toString();
    }

    private static OptionsException bad(String key, String value, String expected) {
        return new OptionsException("dax-audit: bad value '" + value + "' for option '" + key + "': expected "
                + expected + "; valid keys: " + validKeys());
    }

    private static Set<Format> parseFormats(String value) throws OptionsException {
        Set<Format> set = EnumSet.noneOf(Format.class);
        for (String name : value.split(":", -1)) {
            try {
                set.add(Format.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad("formats", value, "json, text or json:text");
            }
        }
        return set;
    }

    private static List<PathMatcher> globs(String key, String value) throws OptionsException {
        if (value == null) {
            return Collections.emptyList();
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : value.split(":", -1)) {
            try {
                if (glob.isEmpty()) {
                    throw new IllegalArgumentException();
                }
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
            } catch (IllegalArgumentException e) {
                throw bad(key, value, "':'-separated globs such as /data/**:*.log");
            }
        }
        return matchers;
    }

    private static Storage.Model parseModel(String value) throws OptionsException {
        switch (value) {
            case "auto": return null;
            case "dax": return Storage.Model.DAX;
            case "page-cache": return Storage.Model.PAGE_CACHE;
            default: throw bad("model", value, "auto, dax or page-cache");
        }
    }

    private static boolean parseChoice(String key, String value, String yes, String no) throws OptionsException {
        if (value.equals(yes)) {
            return true;
        }
        if (value.equals(no)) {
            return false;
        }
        throw bad(key, value, yes + " or " + no);
    }

    public String reportPath() {
        return report;
    }

    public Set<Format> formats() {
        return formats;
    }

    /** The model every file gets, or null ({@code model=auto}) to choose it from where each file lives. */
    public Storage.Model model() {
        return model;
    }

    /** Whether DAX files get PMD entries where fs/dax.c would use them ({@code entries=auto}). */
    public boolean pmdEntries() {
        return pmdEntries;
    }

    public boolean strict() {
        return strict;
    }

    /** Exit status of a JVM that {@code failOnFindings=true} stops because of findings or hazards. */
    public static final int FINDINGS_EXIT_STATUS = 77;

    /** Whether findings or hazards make the JVM exit with {@link #FINDINGS_EXIT_STATUS}, for CI gates. */
    public boolean failOnFindings() {
        return failOnFindings;
    }

    /** The zeroing model: true for {@code fs} (zeroed inside allocation), false for {@code dax-generic}. */
    public boolean zeroingInFs() {
        return zeroingInFs;
    }

    /** Whether each store adds its size to its mapping's count: exact flush amplification, paid on every store. */
    public boolean countStoredBytes() {
        return countStoredBytes;
    }

    /** The options as the user gave them, for the report. */
    public Map<String, String> given() {
        return Collections.unmodifiableMap(given);
    }

    /** Whether mappings of the file at {@code path} are audited, by the include and exclude globs. */
    public boolean audits(String path) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return true;
        }
        if (path == null) {
            return include.isEmpty();
        }
        Path p = Paths.get(path);
        return (include.isEmpty() || matchesAny(include, p)) && !matchesAny(exclude, p);
    }

    private static boolean matchesAny(List<PathMatcher> matchers, Path p) {
        for (PathMatcher m : matchers) {
            if (m.matches(p)) {
                return true;
            }
        }
        return false;
    }
}

package dev.daxaudit.core;

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
 * by {@code :}. This class knows every valid key and value, so a bad option gets one line that names it and the
 * nearest valid one, short enough to read in a CI log.
 */
public final class AgentOptions {
    /** Output formats of the exit report. */
    public enum Format { JSON, TEXT }

    /** Who reports stores: the store hooks, the kernel (userfaultfd + PAGEMAP_SCAN), or the kernel where it can. */
    public enum Tracking { BYTECODE, KERNEL, AUTO }

    /** Exit status of a JVM that {@code failOnFindings=true} stops because of findings or hazards. */
    public static final int FINDINGS_EXIT_STATUS = 77;
    /** Exit status of a JVM that {@code strict=true} stops because of a bad option. */
    public static final int BAD_OPTION_EXIT_STATUS = 2;
    /** Internal key: where the agent writes the outcome of a dynamic attach, for the command line to read. */
    public static final String STATUS_KEY = "status";
    /** Longest value quoted back in an error line, and longest unknown key (the line also lists the valid keys). */
    private static final int QUOTED = 40;
    private static final int QUOTED_KEY = 16;

    private static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("report", "path of the JSON report; {pid} stands for the JVM's process id (default "
                + "dax-audit-report.json)");
        KEYS.put("formats", "json, text or json:text (default json:text)");
        KEYS.put("include", "globs of files to audit, ':'-separated; a glob without '/' matches the file name "
                + "(default: all)");
        KEYS.put("exclude", "globs of files not to audit, ':'-separated; a glob without '/' matches the file name");
        KEYS.put("model", "auto (from the file's filesystem), dax or page-cache (default auto)");
        KEYS.put("entries", "auto (PMD entries on DAX where fs/dax.c would use them) or pte (default auto)");
        KEYS.put("zeroing", "fs (new blocks zeroed inside the filesystem's allocation, today's kernels) or "
                + "dax-generic (the 2015 generic DAX zeroing after get_block, outside any lock) (default fs)");
        KEYS.put("tracking", "bytecode (store hooks: sites and threads), kernel (the kernel reports written pages, "
                + "no store hook; Linux 6.7+, JDK 22+) or auto (kernel where it works, except for crash=) (default auto)");
        KEYS.put("sites", "with the kernel tracker: mapping (the mapping's site stands in for the stores') or faults "
                + "(sampled write faults name the compiled method and thread; see the README for the cost) "
                + "(default mapping)");
        KEYS.put("crash", "path of a crash journal: what a crash would leave at each crash point, for crash-test "
                + "(default: none)");
        KEYS.put("storedBytes", "true counts every byte stored through mappings, at a cost on each store (default false)");
        KEYS.put("interval", "seconds between reports written while the JVM runs, so a kill -9 loses at most that "
                + "much (default: only at exit)");
        KEYS.put("memory", "MiB the agent may keep of per-file detail (mapping history, latencies, page map) before "
                + "it summarises further files; findings stay exact (default: 1/32 of the maximum heap)");
        KEYS.put("failOnFindings", "true makes the JVM exit with status 77"
                + " at shutdown when there are findings or hazards (default false)");
        KEYS.put("strict", "true makes a bad option stop the JVM with status 2 instead of running unaudited "
                + "(default false)");
    }

    private final Map<String, String> given;
    private final String report;
    private final Set<Format> formats;
    private final List<Glob> include;
    private final List<Glob> exclude;
    private final Storage.Model model;
    private final boolean pmdEntries;
    private final Tracking tracking;
    private final boolean faultSites;
    private final String crashJournal;
    private final boolean strict;
    private final boolean countStoredBytes;
    private final boolean zeroingInFs;
    private final boolean failOnFindings;
    private final long intervalMillis;
    private final long memoryMiB;

    private AgentOptions(Map<String, String> given) throws OptionsException {
        this.given = given;
        String path = given.getOrDefault("report", "dax-audit-report.json");
        if (path.isEmpty()) {
            throw bad("report", path, null, "a file path");
        }
        // One report per JVM when many share the option, as forked test JVMs do.
        this.report = path.replace("{pid}", Long.toString(ProcessHandle.current().pid()));
        this.formats = parseFormats(given.getOrDefault("formats", "json:text"));
        this.include = globs("include", given.get("include"));
        this.exclude = globs("exclude", given.get("exclude"));
        this.model = parseModel(given.getOrDefault("model", "auto"));
        this.pmdEntries = parseChoice("entries", given.getOrDefault("entries", "auto"), "auto", "pte");
        this.tracking = parseTracking(given.getOrDefault("tracking", "auto"));
        this.faultSites = parseChoice("sites", given.getOrDefault("sites", "mapping"), "faults", "mapping");
        this.crashJournal = given.get("crash");
        if (crashJournal != null && crashJournal.isEmpty()) {
            throw bad("crash", crashJournal, null, "a file path");
        }
        this.strict = parseChoice("strict", given.getOrDefault("strict", "false"), "true", "false");
        this.failOnFindings = parseChoice("failOnFindings", given.getOrDefault("failOnFindings", "false"), "true",
                "false");
        this.zeroingInFs = parseChoice("zeroing", given.getOrDefault("zeroing", "fs"), "fs", "dax-generic");
        this.countStoredBytes = parseChoice("storedBytes", given.getOrDefault("storedBytes", "false"), "true",
                "false");
        this.intervalMillis = parseInterval(given.get("interval"));
        this.memoryMiB = parseMemory(given.get("memory"));
    }

    /** Parses an option string; null or empty gives the defaults. */
    public static AgentOptions parse(String text) throws OptionsException {
        Map<String, String> given = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            for (String pair : text.split(",", -1)) {
                int eq = pair.indexOf('=');
                if (eq < 0 && KEYS.containsKey(pair)) {
                    throw new OptionsException("dax-audit: option '" + pair + "' needs a value (" + pair + "=...)");
                }
                if (eq <= 0) {
                    throw new OptionsException("dax-audit: bad option '" + quote(pair) + "': expected key=value");
                }
                String key = pair.substring(0, eq);
                if (!KEYS.containsKey(key)) {
                    throw new OptionsException("dax-audit: unknown option '" + quote(key, QUOTED_KEY) + "'"
                            + suggestion(key, KEYS.keySet()));
                }
                String value = pair.substring(eq + 1);
                if (value.chars().anyMatch(Character::isISOControl)) {
                    // A newline in a path would split every line the agent prints about it.
                    throw new OptionsException("dax-audit: the value of option '" + key + "' has a control character: '"
                            + quote(value) + "'");
                }
                if (given.put(key, value) != null) {
                    throw new OptionsException("dax-audit: option '" + key + "' is given twice");
                }
            }
        }
        return new AgentOptions(given);
    }

    /**
     * The option string that {@link #parse} reads back as {@code options} (in their order), followed by
     * {@code userText}, options a user typed (null or blank for none), as they are; a key the user gave is not given
 * again (the user's value wins, and the agent refuses a key given twice). Every launcher of the agent builds
     * its argument here: the JUnit extension, the Maven plugin, crash-test, attach and the benchmarks.
     *
     * @throws IllegalArgumentException for a key this agent does not know, or a value that the option syntax cannot
     *     carry (a comma); said in one line
     */
    public static String render(Map<String, String> options, String userText) {
        StringBuilder sb = new StringBuilder();
        java.util.Set<String> userKeys = new java.util.HashSet<>();
        if (userText != null) {
            for (String pair : userText.trim().split(",", -1)) {
                userKeys.add(pair.indexOf('=') < 0 ? pair : pair.substring(0, pair.indexOf('=')));
            }
        }
        for (Map.Entry<String, String> option : options.entrySet()) {
            String key = option.getKey();
            String value = option.getValue();
            if (userKeys.contains(key)) {
                continue; // the user's own value wins: a key is given once
            }
            if (!KEYS.containsKey(key) && !key.equals(STATUS_KEY)) {
                throw new IllegalArgumentException("dax-audit: unknown option '" + quote(key, QUOTED_KEY) + "'");
            }
            if (value.indexOf(',') >= 0) {
                throw new IllegalArgumentException("dax-audit: the value of " + key + " cannot hold a comma: '"
                        + quote(value) + "'");
            }
            sb.append(sb.length() == 0 ? "" : ",").append(key).append('=').append(value);
        }
        if (userText != null && !userText.isBlank()) {
            sb.append(sb.length() == 0 ? "" : ",").append(userText.trim());
        }
        return sb.toString();
    }

    /** The JVM argument {@code -javaagent:<agentJar>[=<options>]} for options {@link #render rendered} already. */
    public static String javaagent(java.nio.file.Path agentJar, String rendered) {
        return "-javaagent:" + agentJar.toAbsolutePath() + (rendered.isEmpty() ? "" : "=" + rendered);
    }

    /** Every key with what it takes, for {@code dax-audit options} and the documentation. */
    public static Map<String, String> catalogue() {
        return Collections.unmodifiableMap(KEYS);
    }

    /** Whether the raw option text asks for strict handling, read even when the rest does not parse. */
    public static boolean asksStrict(String text) {
        return text != null && ("," + text + ",").contains(",strict=true,");
    }

    /** The value of the internal {@link #STATUS_KEY} in raw option text, or null; read even when the rest is bad. */
    public static String statusFile(String text) {
        if (text != null) {
            for (String pair : text.split(",", -1)) {
                if (pair.startsWith(STATUS_KEY + "=")) {
                    return pair.substring(STATUS_KEY.length() + 1);
                }
            }
        }
        return null;
    }

    /** Option text without the internal {@link #STATUS_KEY}. */
    public static String withoutStatus(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (String pair : text.split(",", -1)) {
            if (!pair.startsWith(STATUS_KEY + "=")) {
                sb.append(sb.length() == 0 ? "" : ",").append(pair);
            }
        }
        return sb.toString();
    }

    /** " (did you mean 'x'?)" for the valid word nearest {@code word}, or " (valid: a, b, c)". */
    private static String suggestion(String word, Iterable<String> valid) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        List<String> all = new ArrayList<>();
        for (String v : valid) {
            all.add(v);
            int d = distance(word.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = v;
            }
        }
        if (best != null && bestDistance <= Math.max(2, best.length() / 3)) {
            return " (did you mean '" + best + "'?)";
        }
        return " (valid: " + String.join(" ", all) + ")";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A value quoted back to the user: at most {@value #QUOTED} characters, one line. */
    private static String quote(String value) {
        return quote(value, QUOTED);
    }

    private static String quote(String value, int longest) {
        String oneLine = value.replaceAll("[\\r\\n\\t]", " ");
        return oneLine.length() <= longest ? oneLine : oneLine.substring(0, longest - 3) + "...";
    }

    /** {@code valid}: the values to suggest from, or null to state {@code expected} only. */
    private static OptionsException bad(String key, String value, List<String> valid, String expected) {
        String hint = valid == null ? "" : suggestion(value, valid);
        hint = hint.startsWith(" (did") ? hint.substring(2, hint.length() - 1) + " " : "";
        return new OptionsException("dax-audit: bad value '" + quote(value) + "' for option '" + key + "' (" + hint
                + "expected " + expected + ")");
    }

    private static Set<Format> parseFormats(String value) throws OptionsException {
        Set<Format> set = EnumSet.noneOf(Format.class);
        for (String name : value.split(":", -1)) {
            try {
                set.add(Format.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad("formats", value, List.of("json", "text", "json:text"), "json, text or json:text");
            }
        }
        return set;
    }

    /** A matcher per glob; a glob without '/' is matched against the file name, any other against the path. */
    private static List<Glob> globs(String key, String value) throws OptionsException {
        if (value == null) {
            return Collections.emptyList();
        }
        List<Glob> matchers = new ArrayList<>();
        for (String glob : value.split(":", -1)) {
            try {
                if (glob.isEmpty()) {
                    throw new IllegalArgumentException();
                }
                matchers.add(Glob.compile(glob));
            } catch (IllegalArgumentException e) {
                throw bad(key, value, null, "':'-separated globs of *, ** and ? such as /data/**:*.log");
            }
        }
        return matchers;
    }

    private static Tracking parseTracking(String value) throws OptionsException {
        switch (value) {
            case "bytecode": return Tracking.BYTECODE;
            case "kernel": return Tracking.KERNEL;
            case "auto": return Tracking.AUTO;
            default: throw bad("tracking", value, List.of("bytecode", "kernel", "auto"), "bytecode, kernel or auto");
        }
    }

    private static Storage.Model parseModel(String value) throws OptionsException {
        switch (value) {
            case "auto": return null;
            case "dax": return Storage.Model.DAX;
            case "page-cache": return Storage.Model.PAGE_CACHE;
            default: throw bad("model", value, List.of("auto", "dax", "page-cache"), "auto, dax or page-cache");
        }
    }

    private static boolean parseChoice(String key, String value, String yes, String no) throws OptionsException {
        if (value.equals(yes)) {
            return true;
        }
        if (value.equals(no)) {
            return false;
        }
        throw bad(key, value, List.of(yes, no), yes + " or " + no);
    }

    private static long parseMemory(String value) throws OptionsException {
        if (value == null) {
            return 0;
        }
        if (value.matches("[0-9]{1,7}") && Long.parseLong(value) >= 1 && Long.parseLong(value) <= 1_048_576) {
            return Long.parseLong(value);
        }
        throw bad("memory", value, null, "MiB between 1 and 1048576, such as 64");
    }

    private static long parseInterval(String value) throws OptionsException {
        if (value == null) {
            return 0;
        }
        try {
            double seconds = Double.parseDouble(value);
            if (seconds >= 0.01 && seconds <= 86_400 && !value.startsWith("+")) {
                return Math.round(seconds * 1000);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("interval", value, null, "seconds between 0.01 and 86400, such as 30 or 0.5");
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

    /** Where crash states are recorded ({@code crash=}), or null. */
    public String crashJournal() {
        return crashJournal;
    }

    /** Whether the kernel tracker samples write faults to name stores ({@code sites=faults}). */
    public boolean faultSites() {
        return faultSites;
    }

    /** Who is asked to report stores ({@code tracking=}). */
    public Tracking tracking() {
        return tracking;
    }

    /** Whether DAX files get PMD entries where fs/dax.c would use them ({@code entries=auto}). */
    public boolean pmdEntries() {
        return pmdEntries;
    }

    public boolean strict() {
        return strict;
    }

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

    /** The {@code memory=} budget for per-file detail in MiB, or 0 for the default (a fraction of the heap). */
    public long memoryMiB() {
        return memoryMiB;
    }

    /** Milliseconds between reports written while the JVM runs, or 0 for a report at exit only. */
    public long intervalMillis() {
        return intervalMillis;
    }

    /** The options as the user gave them, for the report. */
    public Map<String, String> given() {
        return Collections.unmodifiableMap(given);
    }

    /** Whether include or exclude globs were given. */
    public boolean filters() {
        return !include.isEmpty() || !exclude.isEmpty();
    }

    /** Whether mappings of the file at {@code path} are audited, by the include and exclude globs. */
    public boolean audits(String path) {
        if (include.isEmpty() && exclude.isEmpty()) {
            return true;
        }
        if (path == null) {
            return include.isEmpty();
        }
        return (include.isEmpty() || matchesAny(include, path)) && !matchesAny(exclude, path);
    }

    private static boolean matchesAny(List<Glob> globs, String path) {
        for (Glob g : globs) {
            if (g.matches(path)) {
                return true;
            }
        }
        return false;
    }
}

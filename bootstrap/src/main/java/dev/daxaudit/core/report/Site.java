package dev.daxaudit.core.report;

import java.util.Objects;

/**
 * A code site: the first application frame on a stack, as {@code class.method(File.java:line)}.
 */
public final class Site implements Comparable<Site> {
    /** A stack with no application frame: the unmap was done by the JDK's cleaner after the buffer became unreachable. */
    public static final Site GC_CLEANER = new Site("(garbage collector)", "Cleaner", null, -1);
    /** A stack with no application frame, for any other reason. */
    public static final Site UNKNOWN = new Site("(unknown)", "(no application frame)", null, -1);

    private final String className;
    private final String method;
    private final String fileName;
    private final int line;

    public Site(String className, String method, String fileName, int line) {
        this.className = className;
        this.method = method;
        this.fileName = fileName;
        this.line = line;
    }

    public String className() {
        return className;
    }

    public String method() {
        return method;
    }

    /** Source file name, or null when the class has no SourceFile attribute. */
    public String fileName() {
        return fileName;
    }

    /** Source line, or a negative number when unknown. */
    public int line() {
        return line;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Site)) {
            return false;
        }
        Site s = (Site) o;
        return line == s.line && className.equals(s.className) && method.equals(s.method)
                && Objects.equals(fileName, s.fileName);
    }

    @Override
    public int hashCode() {
        return (className.hashCode() * 31 + method.hashCode()) * 31 + line;
    }

    @Override
    public int compareTo(Site o) {
        int c = className.compareTo(o.className);
        if (c == 0) {
            c = method.compareTo(o.method);
        }
        return c != 0 ? c : Integer.compare(line, o.line);
    }

    @Override
    public String toString() {
        String where = fileName == null ? "Unknown Source" : line >= 0 ? fileName + ":" + line : fileName;
        return className + "." + method + "(" + where + ")";
    }
}

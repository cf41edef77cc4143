package dev.daxaudit.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the kernel's trace buffer for an {@code fs_dax} tracepoint (include/trace/events/fs_dax.h), e.g.
 * {@code dax_writeback_one: dev 259:0 ino 0xc pgoff 0x0 pglen 0x200} or
 * {@code dax_pte_fault: dev 259:0 ino 0xc shared WRITE|KILLABLE|USER address 0x7f... pgoff 0x3 NOPAGE}.
 */
record TraceEvent(String name, long inode, String text) {
    private static final Pattern LINE = Pattern.compile("\\s(dax_\\w+): dev \\d+:\\d+ ino (0x[0-9a-f]+|0)\\b(.*)$");

    static TraceEvent parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.find()) {
            return null;
        }
        return new TraceEvent(m.group(1), Long.decode(m.group(2)), m.group(3).trim());
    }

    /** A fault taken for a write (the flags carry WRITE). */
    boolean write() {
        return text.matches("(?s).*\\bWRITE\\b.*");
    }

    /** The fault's result flags, the last word of the line (NOPAGE, FALLBACK, NEEDDSYNC, ...). */
    String result() {
        String[] words = text.split("\\s+");
        return words[words.length - 1];
    }

    /** A hexadecimal field such as {@code pglen} or {@code pgoff}, or -1. */
    long field(String key) {
        Matcher m = Pattern.compile("\\b" + key + " (0x[0-9a-f]+|0)\\b").matcher(text);
        return m.find() ? Long.decode(m.group(1)) : -1;
    }
}

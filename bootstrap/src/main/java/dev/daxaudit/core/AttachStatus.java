package dev.daxaudit.core;

/**
 * The outcome of a dynamic attach or dump, written by the agent in the target JVM for the command line that asked:
 * one line, {@code ok <message>} or {@code error <message>}. The attach API itself only says whether the agent
 * class loaded, not whether it is auditing or the report was written. Both sides read this one contract.
 */
public final class AttachStatus {
    private AttachStatus() {
    }

    /** Reads an outcome: true for {@code ok}; the message follows the first space. */
    public static boolean ok(String line) {
        return line.startsWith("ok ");
    }

    public static String message(String line) {
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(space + 1).trim();
    }
}

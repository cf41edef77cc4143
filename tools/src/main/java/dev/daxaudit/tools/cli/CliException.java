package dev.daxaudit.tools.cli;

/** Bad input or an unusable target: its message is the one line the user sees. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}

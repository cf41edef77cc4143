package dev.daxaudit.core;

/** A bad agent option; its message is the one line the user sees. */
public final class OptionsException extends Exception {
    private static final long serialVersionUID = 1L;

    public OptionsException(String message) {
        super(message);
    }
}

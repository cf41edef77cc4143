package dev.daxaudit.agent.bootstrap;

import dev.daxaudit.core.DaxEngine;

/**
 * Hands the engine to {@link Hooks} before Hooks is initialised, so that Hooks can keep it in a static final
 * field the JIT folds into every inlined hook.
 */
public final class EngineHolder {
    static volatile DaxEngine engine;

    private EngineHolder() {
    }

    public static void set(DaxEngine e) {
        engine = e;
    }
}

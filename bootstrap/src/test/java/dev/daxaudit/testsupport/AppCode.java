package dev.daxaudit.testsupport;

import dev.daxaudit.core.DaxEngine;

/** Stands for application code in engine tests: frames in dev.daxaudit.core are skipped when sites are taken. */
public final class AppCode {
    private AppCode() {
    }

    public static void store(DaxEngine engine, long address, long length) {
        engine.store(address, length); // the site engine tests expect: AppCode.store, this line
    }

    public static int storeLine() {
        return 11;
    }
}

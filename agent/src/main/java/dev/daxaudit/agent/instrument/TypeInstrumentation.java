package dev.daxaudit.agent.instrument;

import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * One instrumented JDK type: which type, and which advice goes on which of its methods. Advice is inlined into
 * already-loaded JDK classes by retransformation, so it adds no fields or methods, and each advice body is one
 * call into {@code dev.daxaudit.agent.bootstrap.Hooks}.
 */
public interface TypeInstrumentation {
    /**
     * The JDK class, by binary name. The agent loads it before installing, so it is retransformed with the
     * classes already loaded: a class first loaded while Byte Buddy is transforming another one would be skipped.
     */
    String typeName();

    AsmVisitorWrapper advice();
}

package dev.daxaudit.agent.instrument;

import static dev.daxaudit.agent.instrument.ScopedMemoryAccessInstrumentation.publicMethod;
import static dev.daxaudit.agent.instrument.ScopedMemoryAccessInstrumentation.byWidth;

import dev.daxaudit.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Entry advice on the same {@code ScopedMemoryAccess} store methods, applied only after a truncate has left some
 * mapping reaching beyond its file's end (hazard H1): from then on a store there (H2) is recorded before it
 * faults with SIGBUS, which may end the JVM. Until then the class carries no entry advice at all, so the store
 * fast path pays nothing for this check; arming it retransforms the class once.
 */
public final class BeyondEofCheckInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "jdk.internal.misc.ScopedMemoryAccess";
    }

    @Override
    public AsmVisitorWrapper advice() {
        return new AsmVisitorWrapper.Compound(
                byWidth(Check.class, 1, "Boolean|Byte"),
                byWidth(Check.class, 2, "Short|Char"),
                byWidth(Check.class, 4, "Int|Float"),
                byWidth(Check.class, 8, "Long|Double"),
                Advice.to(CheckCopy.class).on(publicMethod("copyMemory|copySwapMemory")),
                Advice.to(CheckFill.class).on(publicMethod("setMemory")));
    }

    static final class Check {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object base, @Advice.Argument(2) long offset, @Width int width) {
            if (base == null) {
                Hooks.beforeStore(offset, width);
            }
        }
    }

    static final class CheckCopy {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(4) Object destBase, @Advice.Argument(5) long destOffset,
                          @Advice.Argument(6) long bytes) {
            if (destBase == null) {
                Hooks.beforeStore(destOffset, bytes);
            }
        }
    }

    static final class CheckFill {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object base, @Advice.Argument(2) long offset,
                          @Advice.Argument(3) long bytes) {
            if (base == null) {
                Hooks.beforeStore(offset, bytes);
            }
        }
    }
}

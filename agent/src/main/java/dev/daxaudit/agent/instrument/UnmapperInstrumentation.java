package dev.daxaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.daxaudit.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * {@code FileChannelImpl$Unmapper.unmap()}: every unmap, whether by the GC's cleaner thread, by
 * {@code Unsafe.invokeCleaner} or by closing an arena. Caught at entry: once munmap returns, the address may be
 * handed to a new mapping.
 */
public final class UnmapperInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.nio.ch.FileChannelImpl$Unmapper";
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(UnmapAdvice.class).on(named("unmap").and(takesArguments(0)));
    }

    static final class UnmapAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("address") long address) {
            if (address != 0) {
                Hooks.unmap(address);
            }
        }
    }
}

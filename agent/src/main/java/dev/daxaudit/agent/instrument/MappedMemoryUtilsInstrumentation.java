package dev.daxaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.daxaudit.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * {@code java.nio.MappedMemoryUtils.force(fd, address, isSync, index, length)}: the bottom of
 * {@code MappedByteBuffer.force()}, {@code force(index, length)}, {@code MemorySegment.force()} and any
 * reflective call to the JDK's internal force. {@code isSync} marks a *_SYNC mapping, flushed by cache-line
 * writeback instead of msync.
 */
public final class MappedMemoryUtilsInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "java.nio.MappedMemoryUtils";
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(ForceAdvice.class).on(named("force").and(takesArguments(5)));
    }

    static final class ForceAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(1) long address, @Advice.Argument(2) boolean isSync,
                            @Advice.Argument(3) long index, @Advice.Argument(4) long length) {
            return Hooks.forceStart(address + index, length, isSync);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object writeback, @Advice.Thrown Throwable thrown) {
            Hooks.writebackEnd(writeback, thrown == null);
        }
    }
}

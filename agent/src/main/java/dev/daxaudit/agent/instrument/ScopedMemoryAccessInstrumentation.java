package dev.daxaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameMatches;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.daxaudit.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code jdk.internal.misc.ScopedMemoryAccess}: the one place every Java-level off-heap store goes through on
 * JDK 17 and 25 (direct and mapped buffers, their views, byteBufferViewVarHandle, and on 22+ memory segments).
 * Advice goes on the public wrappers, never on the {@code @Scoped *Internal} methods (the VM scans those frames
 * when a shared arena closes). Arguments are (session, base, offset, ...) for single stores, base and offset of
 * the destination at 4 and 5 for copies. A null base means an absolute address: anything else is a heap array.
 * Exit advice records the store after it landed. {@link BeyondEofCheckInstrumentation} adds entry advice to the
 * same methods, but only once a truncate has left a mapping reaching beyond end of file.
 */
public final class ScopedMemoryAccessInstrumentation implements TypeInstrumentation {
    private static final String STORE_VERBS =
            "(put|compareAndSet|compareAndExchange|weakCompareAndSet|getAndSet|getAndAdd|getAndBitwise(Or|And|Xor))";
    private static final String ORDERING = "(Unaligned|Volatile|Release|Opaque|Acquire|Plain)?";

    @Override
    public String typeName() {
        return "jdk.internal.misc.ScopedMemoryAccess";
    }

    @Override
    public AsmVisitorWrapper advice() {
        return new AsmVisitorWrapper.Compound(
                byWidth(Store.class, 1, "Boolean|Byte"),
                byWidth(Store.class, 2, "Short|Char"),
                byWidth(Store.class, 4, "Int|Float"),
                byWidth(Store.class, 8, "Long|Double"),
                Advice.to(Copy.class).on(publicMethod("copyMemory|copySwapMemory")),
                Advice.to(Fill.class).on(publicMethod("setMemory")));
    }

    /** {@code advice} with its {@link Width} bound to {@code width}, on the stores of the given value types. */
    static AsmVisitorWrapper byWidth(Class<?> advice, int width, String types) {
        return Advice.withCustomMapping().bind(Width.class, width).to(advice).on(stores(types));
    }

    static ElementMatcher<MethodDescription> stores(String types) {
        return publicMethod(STORE_VERBS + "(" + types + ")" + ORDERING);
    }

    static ElementMatcher.Junction<MethodDescription> publicMethod(String regex) {
        return isPublic().and(not(isStatic())).and(nameMatches(regex));
    }

    static final class Store {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Object base, @Advice.Argument(2) long offset, @Width int width) {
            if (base == null) {
                Hooks.store(offset, width);
            }
        }
    }

    static final class Copy {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(4) Object destBase, @Advice.Argument(5) long destOffset,
                         @Advice.Argument(6) long bytes) {
            if (destBase == null) {
                Hooks.storeBulk(destOffset, bytes);
            }
        }
    }

    static final class Fill {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) Object base, @Advice.Argument(2) long offset,
                         @Advice.Argument(3) long bytes) {
            if (base == null) {
                Hooks.storeBulk(offset, bytes);
            }
        }
    }
}

package dev.daxaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;

import dev.daxaudit.agent.bootstrap.Hooks;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import sun.nio.ch.DirectBuffer;

/**
 * {@code sun.nio.ch.IOUtil.readIntoNativeBuffer}: the kernel writing into a direct buffer, as
 * {@code FileChannel.read(mappedBuffer)} or a socket read does. The bytes land in the mapping without any Java
 * store, so the read itself is the store: at exit, the buffer's position has moved past them.
 */
public final class IOUtilInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.nio.ch.IOUtil";
    }

    @Override
    public AsmVisitorWrapper advice() {
        return Advice.to(ReadAdvice.class).on(named("readIntoNativeBuffer"));
    }

    static final class ReadAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(1) ByteBuffer buffer, @Advice.Return int read) {
            if (read > 0) {
                Hooks.storeBulk(((DirectBuffer) buffer).address() + buffer.position() - read, read);
            }
        }
    }
}

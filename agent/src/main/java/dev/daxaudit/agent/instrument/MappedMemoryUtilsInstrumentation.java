package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;

/**
 * {@code java.nio.MappedMemoryUtils.force(fd, address, isSync, index, length)}: the bottom of
 * {@code MappedByteBuffer.force()}, {@code force(index, length)}, {@code MemorySegment.force()} and any
 * reflective call to the JDK's internal force. {@code isSync} marks a *_SYNC mapping, flushed by cache-line
 * writeback instead of msync.
 */
public final class MappedMemoryUtilsInstrumentation extends TypeInstrumentation {
    @Override
    public String typeName() {
        return "java.nio.MappedMemoryUtils";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        if (!name.equals("force") || !descriptor.equals("(Ljava/io/FileDescriptor;JZJJ)V")) {
            return mv;
        }
        return new WritebackMethod(owner, mv, access, name, descriptor) {
            @Override
            void startWriteback() {
                loadArg(1);
                loadArg(2);
                loadArg(3);
                loadArg(4);
                callHook("forceStart", "(JZJJ)Ljava/lang/Object;");
            }
        };
    }
}

package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * A write-family method ({@code FileChannelImpl.write}, {@code RandomAccessFile.write}, {@code FileOutputStream.write}
 * and their kin): at entry its file offset is taken ({@code Hooks.writing}, -1 unless crash states are recorded), at
 * each normal return the bytes it wrote are told. A relative write is measured by the offset it moved; an absolute
 * one ({@code positionArg} &gt;= 0) by its returned count at that position. The class must have the fields
 * {@code fd} and {@code path}, as these three have on JDK 17 to 25.
 */
final class WriteFamilyMethod extends HookedMethod {
    private static final Type FILE_DESCRIPTOR = Type.getType(java.io.FileDescriptor.class);
    private static final Type STRING = Type.getType(String.class);

    private final int positionArg;
    private final Type returned;
    private int before;

    private WriteFamilyMethod(String owner, MethodVisitor mv, int access, String name, String descriptor,
                              int positionArg) {
        super(owner, mv, access, name, descriptor);
        this.positionArg = positionArg;
        this.returned = Type.getReturnType(descriptor);
    }

    /** A write at the stream's offset, which it moves. */
    static MethodVisitor relative(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        return new WriteFamilyMethod(owner, mv, access, name, descriptor, -1);
    }

    /** A write at the position in argument {@code positionArg} (a long), returning the bytes written (int or long). */
    static MethodVisitor absolute(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                  int positionArg) {
        return new WriteFamilyMethod(owner, mv, access, name, descriptor, positionArg);
    }

    @Override
    void enter() {
        loadThis();
        loadField("fd", FILE_DESCRIPTOR);
        loadField("path", STRING);
        callHook("writing", "(Ljava/lang/Object;Ljava/io/FileDescriptor;Ljava/lang/String;)J");
        before = enterLocal(Type.LONG_TYPE);
        storeLocal(before);
    }

    @Override
    void exit() {
        if (positionArg < 0) {
            loadThis();
            loadField("fd", FILE_DESCRIPTOR);
            loadLocal(before);
            callHook("written", "(Ljava/lang/Object;Ljava/io/FileDescriptor;J)V");
            return;
        }
        if (returned.getSize() == 2) {
            dup2();
        } else {
            dup();
            cast(returned, Type.LONG_TYPE);
        }
        loadField("fd", FILE_DESCRIPTOR);
        loadLocal(before);
        loadArg(positionArg);
        callHook("writtenAt", "(JLjava/io/FileDescriptor;JJ)V");
    }
}

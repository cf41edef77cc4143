package dev.daxaudit.agent.instrument;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * {@code sun.nio.ch.FileChannelImpl}: {@code map} (every mode, including the JEP 352 *_SYNC modes, to a
 * MappedByteBuffer and, on JDK 22+, to a MemorySegment in any arena; the file's size is taken at entry, as map may
 * grow it), {@code force(boolean)} (fsync of the whole file, whichever channel of it is used; the hook also sees
 * it fail), {@code truncate}, and closing the channel (which does not unmap anything, but leaves unsynced pages
 * with one descriptor fewer to fsync them through). And the writes ({@code write}, relative, absolute and
 * gathering, {@code transferFrom}, and {@code transferTo} into another file's channel): their pages are pending in crash states until a sync (the hook returns at
 * once when crash states are not recorded).
 */
public final class FileChannelImplInstrumentation extends TypeInstrumentation {
    private static final Type FILE_DESCRIPTOR = Type.getType(java.io.FileDescriptor.class);
    private static final Type STRING = Type.getType(String.class);

    @Override
    public String typeName() {
        return "sun.nio.ch.FileChannelImpl";
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        int arguments = Type.getArgumentTypes(descriptor).length;
        if (name.equals("map") && (arguments == 3 || arguments == 4)) {
            return new HookedMethod(owner, mv, access, name, descriptor) {
                private int sizeBefore;

                @Override
                void enter() {
                    loadThis();
                    callHook("sizeOf", "(Ljava/nio/channels/FileChannel;)J");
                    sizeBefore = enterLocal(Type.LONG_TYPE);
                    storeLocal(sizeBefore);
                }

                @Override
                void exit() {
                    dup(); // the MappedByteBuffer or MemorySegment returned
                    loadLocal(sizeBefore);
                    loadThis();
                    loadField("fd", FILE_DESCRIPTOR);
                    loadField("path", STRING);
                    loadArg(0);
                    loadArg(1);
                    loadArg(2);
                    callHook("mapped", "(Ljava/lang/Object;JLjava/nio/channels/FileChannel;Ljava/io/FileDescriptor;"
                            + "Ljava/lang/String;Ljava/lang/Object;JJ)V");
                }
            };
        }
        if (name.equals("force") && descriptor.equals("(Z)V")) {
            return new WritebackMethod(owner, mv, access, name, descriptor) {
                @Override
                void startWriteback() {
                    loadField("fd", FILE_DESCRIPTOR);
                    loadField("path", STRING);
                    loadArg(0); // metaData: fsync, else fdatasync
                    callHook("fsyncStart", "(Ljava/io/FileDescriptor;Ljava/lang/String;Z)Ljava/lang/Object;");
                }
            };
        }
        if (name.equals("truncate") && descriptor.startsWith("(J)")) {
            return new HookedMethod(owner, mv, access, name, descriptor) {
                @Override
                void exit() {
                    loadThis();
                    loadField("fd", FILE_DESCRIPTOR);
                    callHook("truncated", "(Ljava/nio/channels/FileChannel;Ljava/io/FileDescriptor;)V");
                }
            };
        }
        switch (name + descriptor) {
            case "write(Ljava/nio/ByteBuffer;)I", "write([Ljava/nio/ByteBuffer;II)J":
                return WriteFamilyMethod.relative(owner, mv, access, name, descriptor);
            case "write(Ljava/nio/ByteBuffer;J)I":
                return WriteFamilyMethod.absolute(owner, mv, access, name, descriptor, 1);
            case "transferFrom(Ljava/nio/channels/ReadableByteChannel;JJ)J":
                return WriteFamilyMethod.absolute(owner, mv, access, name, descriptor, 1);
            case "transferTo(JJLjava/nio/channels/WritableByteChannel;)J":
                // Into a file: a relative write of the target channel, which the JDK copies with copy_file_range
                // or sendfile, never through the target's own write.
                return new HookedMethod(owner, mv, access, name, descriptor) {
                    private int before;

                    @Override
                    void enter() {
                        loadArg(2);
                        callHook("transferringTo", "(Ljava/nio/channels/WritableByteChannel;)J");
                        before = enterLocal(Type.LONG_TYPE);
                        storeLocal(before);
                    }

                    @Override
                    void exit() {
                        loadArg(2);
                        loadLocal(before);
                        callHook("transferredTo", "(Ljava/nio/channels/WritableByteChannel;J)V");
                    }
                };
            default:
                break;
        }
        if (name.equals("implCloseChannel") && descriptor.equals("()V")) {
            return new HookedMethod(owner, mv, access, name, descriptor) {
                @Override
                void enter() {
                    loadField("fd", FILE_DESCRIPTOR);
                    callHook("channelClosing", "(Ljava/io/FileDescriptor;)V");
                }
            };
        }
        return mv;
    }
}

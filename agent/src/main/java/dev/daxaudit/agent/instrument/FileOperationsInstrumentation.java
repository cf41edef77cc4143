package dev.daxaudit.agent.instrument;

import java.util.List;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The file operations beside mapping: the write family of {@code java.io}: {@code RandomAccessFile}'s writes
 * (on JDK 17 the public {@code write} methods and {@code writeBytes}/{@code writeChars}, which call its natives
 * directly; on JDK 25 the private {@code implWrite} and {@code implWriteBytes} every write goes through; a nested
 * call records the same pages twice, which changes nothing) and {@code FileOutputStream.write}. And the namespace
 * operations that decide under which name a file appears in a crash state: creation by an open
 * ({@code RandomAccessFile} and {@code FileOutputStream} through their private {@code open(String, ...)}, every NIO
 * channel and stream through {@code sun.nio.fs.UnixChannelFactory.open}), {@code Files.move},
 * {@code File.renameTo}, {@code Files.createLink} (a hard link), {@code Files.delete}, {@code Files.deleteIfExists}
 * and {@code File.delete}. The write family is always installed (a write into a mapped file is unsynced data of its
 * own); the classes with only namespace operations only when crash states are recorded ({@code crash=}). The hooks
 * record a call only once it succeeded.
 */
public final class FileOperationsInstrumentation extends TypeInstrumentation {
    private static final String OPENING = "(ILjava/lang/Object;)Z";
    private static final String OPENED = "(ZILjava/lang/Object;)V";

    private final String typeName;

    private FileOperationsInstrumentation(String typeName) {
        this.typeName = typeName;
    }

    /** The write family's classes (their opens too): always, since a write(2) into a mapped file is unsynced data. */
    public static List<TypeInstrumentation> writeFamily() {
        return List.of(new FileOperationsInstrumentation("java.io.RandomAccessFile"),
                new FileOperationsInstrumentation("java.io.FileOutputStream"));
    }

    /** The classes with only namespace operations: when crash states are recorded. */
    public static List<TypeInstrumentation> namespace() {
        return List.of(new FileOperationsInstrumentation("java.io.File"),
                new FileOperationsInstrumentation("java.nio.file.Files"),
                new FileOperationsInstrumentation("sun.nio.fs.UnixChannelFactory"));
    }

    /** Every class this instruments. */
    public static List<TypeInstrumentation> all() {
        List<TypeInstrumentation> all = new java.util.ArrayList<>(writeFamily());
        all.addAll(namespace());
        return all;
    }

    @Override
    public String typeName() {
        return typeName;
    }

    @Override
    MethodVisitor hook(String owner, MethodVisitor mv, int access, String name, String descriptor) {
        switch (owner + "." + name + descriptor) {
            case "java/io/File.renameTo(Ljava/io/File;)Z":
                return rename(owner, mv, access, name, descriptor, false);
            case "java/io/File.delete()Z":
                return exit(owner, mv, access, name, descriptor, "deleted", true);
            case "java/nio/file/Files.move(Ljava/nio/file/Path;Ljava/nio/file/Path;[Ljava/nio/file/CopyOption;)"
                    + "Ljava/nio/file/Path;":
                return rename(owner, mv, access, name, descriptor, true);
            case "java/nio/file/Files.delete(Ljava/nio/file/Path;)V":
                return exit(owner, mv, access, name, descriptor, "deleted", false);
            case "java/nio/file/Files.createLink(Ljava/nio/file/Path;Ljava/nio/file/Path;)Ljava/nio/file/Path;":
                return exit(owner, mv, access, name, descriptor, "linked", false);
            case "java/nio/file/Files.deleteIfExists(Ljava/nio/file/Path;)Z":
                return exit(owner, mv, access, name, descriptor, "deleted", true);
            case "java/io/RandomAccessFile.open(Ljava/lang/String;I)V",
                 "java/io/FileOutputStream.open(Ljava/lang/String;Z)V":
                return open(owner, mv, access, name, descriptor, false);
            case "java/io/RandomAccessFile.write(I)V", "java/io/RandomAccessFile.write([B)V",
                 "java/io/RandomAccessFile.write([BII)V", "java/io/RandomAccessFile.writeBytes(Ljava/lang/String;)V",
                 "java/io/RandomAccessFile.writeChars(Ljava/lang/String;)V", "java/io/RandomAccessFile.implWrite(I)V",
                 "java/io/RandomAccessFile.implWriteBytes([BII)V", "java/io/FileOutputStream.write(I)V",
                 "java/io/FileOutputStream.write([B)V", "java/io/FileOutputStream.write([BII)V":
                return WriteFamilyMethod.relative(owner, mv, access, name, descriptor);
            default:
                // UnixChannelFactory.open(int dfd, UnixPath path, ...): its other arguments differ by JDK release
                if (owner.equals("sun/nio/fs/UnixChannelFactory") && name.equals("open")
                        && descriptor.startsWith("(ILsun/nio/fs/UnixPath;")) {
                    return open(owner, mv, access, name, descriptor, true);
                }
                return mv;
        }
    }

    /**
     * A hook at each normal return, given the returned boolean ({@code passResult}), then {@code this} (for an
     * instance method) and the reference arguments.
     */
    private static MethodVisitor exit(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                      String hook, boolean passResult) {
        return new HookedMethod(owner, mv, access, name, descriptor) {
            @Override
            void exit() {
                StringBuilder hookDescriptor = new StringBuilder("(");
                if (passResult) {
                    dup();
                    hookDescriptor.append('Z');
                }
                if ((access & ACC_STATIC) == 0) {
                    loadThis();
                    hookDescriptor.append("Ljava/lang/Object;");
                }
                Type[] arguments = Type.getArgumentTypes(descriptor);
                for (int i = 0; i < arguments.length; i++) {
                    if (arguments[i].getSort() == Type.OBJECT) {
                        loadArg(i);
                        hookDescriptor.append("Ljava/lang/Object;");
                    }
                }
                callHook(hook, hookDescriptor.append(")V").toString());
            }
        };
    }

    /**
     * A rename: whether its target exists is taken at entry ({@code renaming}), and the rename told at the return,
     * {@code File.renameTo(to)} with its result and the File ({@code renamed}), {@code Files.move(from, to, ...)}
     * with its paths ({@code moved}).
     */
    private static MethodVisitor rename(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                        boolean move) {
        return new HookedMethod(owner, mv, access, name, descriptor) {
            private int replaces;

            @Override
            void enter() {
                loadArg(move ? 1 : 0);
                callHook("renaming", "(Ljava/lang/Object;)Z");
                replaces = enterLocal(Type.BOOLEAN_TYPE);
                storeLocal(replaces);
            }

            @Override
            void exit() {
                if (move) {
                    loadArg(0);
                    loadArg(1);
                    loadLocal(replaces);
                    callHook("moved", "(Ljava/lang/Object;Ljava/lang/Object;Z)V");
                } else {
                    dup(); // renameTo's result
                    loadThis();
                    loadArg(0);
                    loadLocal(replaces);
                    callHook("renamed", "(ZLjava/lang/Object;Ljava/lang/Object;Z)V");
                }
            }
        };
    }

    /** An open by name: whether the file existed is taken at entry, and a creation told at the return. */
    private static MethodVisitor open(String owner, MethodVisitor mv, int access, String name, String descriptor,
                                      boolean nio) {
        return new HookedMethod(owner, mv, access, name, descriptor) {
            private int existed;

            private void pushName() {
                if (nio) {
                    loadArg(0); // the directory descriptor, -1 for none
                    loadArg(1);
                } else {
                    push(-1);
                    loadArg(0);
                }
            }

            @Override
            void enter() {
                pushName();
                callHook("opening", OPENING);
                existed = enterLocal(Type.BOOLEAN_TYPE);
                storeLocal(existed);
            }

            @Override
            void exit() {
                loadLocal(existed);
                pushName();
                callHook("opened", OPENED);
            }
        };
    }
}

package dev.daxaudit.agent.instrument;

import java.nio.charset.StandardCharsets;

/**
 * Whether a class file can call a method of one of a few classes, decided in one pass over its constant pool
 * (JVMS 4.4) without parsing the rest: a call's owner is a {@code CONSTANT_Class} whose name is a
 * {@code CONSTANT_Utf8} equal to the owner's internal name, so a class with no such entry has no such call. Every
 * class the application loads goes through this; only the few that pass are parsed.
 */
final class ConstantPoolScan {
    private static final int MAGIC = 0xCAFEBABE;
    private final byte[][] names;

    /** Looks for these internal names ({@code java/io/FileDescriptor}); ASCII, the same in modified UTF-8. */
    ConstantPoolScan(String... names) {
        this.names = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            this.names[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * False when {@code classFile}'s constant pool names none of the classes; true when it names one, or when the
     * bytes are not a class file this scan can walk (the parser then decides, and counts what it cannot read).
     */
    boolean mayName(byte[] classFile) {
        try {
            if (u4(classFile, 0) != MAGIC) {
                return true;
            }
            int count = u2(classFile, 8);
            int p = 10;
            for (int i = 1; i < count; i++) {
                switch (classFile[p]) {
                    case 1 -> { // Utf8: u2 length, bytes
                        int length = u2(classFile, p + 1);
                        if (named(classFile, p + 3, length)) {
                            return true;
                        }
                        p += 3 + length;
                    }
                    case 7, 8, 16, 19, 20 -> p += 3; // Class, String, MethodType, Module, Package: u2
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> p += 5; // Integer, Float, the refs, NameAndType, (Invoke)Dynamic
                    case 15 -> p += 4; // MethodHandle: u1 kind, u2 reference
                    case 5, 6 -> { // Long, Double: two slots
                        p += 9;
                        i++;
                    }
                    default -> {
                        return true;
                    }
                }
            }
            return false;
        } catch (ArrayIndexOutOfBoundsException truncated) {
            return true;
        }
    }

    private boolean named(byte[] b, int at, int length) {
        outer:
        for (byte[] name : names) {
            if (name.length != length) {
                continue;
            }
            for (int j = 0; j < length; j++) {
                if (b[at + j] != name[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static int u2(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }

    private static int u4(byte[] b, int at) {
        return (u2(b, at) << 16) | u2(b, at + 2);
    }
}

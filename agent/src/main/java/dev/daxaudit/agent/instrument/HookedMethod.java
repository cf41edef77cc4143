package dev.daxaudit.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.AdviceAdapter;
import org.objectweb.asm.commons.Method;

/**
 * A JDK method with calls of {@code Hooks} inserted at its entry and before its returns. Each call passes the
 * method's arguments or fields as they are; the hook decides (a null check, a size check), so the inserted code
 * has no branches. A method whose hook must also see it end by an exception (a writeback that failed) uses
 * {@link #exitAlsoOnThrow}: the whole body goes under one catch-all handler, last in the exception table, that
 * calls the hook and rethrows.
 */
abstract class HookedMethod extends AdviceAdapter {
    static final Type HOOKS = Type.getObjectType("dev/daxaudit/core/hooks/Hooks");

    private final String owner;
    private final Label bodyStart = new Label();
    private boolean catchesThrow;

    HookedMethod(String owner, MethodVisitor next, int access, String name, String descriptor) {
        super(Opcodes.ASM9, next, access, name, descriptor);
        this.owner = owner;
    }

    /** Inserted at entry; by default nothing. */
    void enter() {
    }

    /** Inserted before each return; the return value, if any, is on the stack (dup it to pass it). */
    void exit() {
    }

    /** Inserted where the method ends by an exception, when {@link #exitAlsoOnThrow} was called in enter(). */
    void exitOnThrow() {
    }

    void exitAlsoOnThrow() {
        catchesThrow = true;
    }

    void callHook(String name, String descriptor) {
        invokeStatic(HOOKS, new Method(name, descriptor));
    }

    void loadField(String name, Type type) {
        loadThis();
        getField(Type.getObjectType(owner), name, type);
    }

    @Override
    protected final void onMethodEnter() {
        enter();
        if (catchesThrow) {
            mv.visitLabel(bodyStart);
        }
    }

    @Override
    protected final void onMethodExit(int opcode) {
        if (opcode != ATHROW) {
            exit();
        }
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (catchesThrow) {
            Label bodyEnd = new Label();
            Label handler = new Label();
            mv.visitLabel(bodyEnd);
            // Visited after the method's own handlers: they keep precedence inside the body.
            mv.visitTryCatchBlock(bodyStart, bodyEnd, handler, null);
            mv.visitLabel(handler);
            Object[] locals = entryLocals();
            mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
            exitOnThrow();
            mv.visitInsn(ATHROW);
        }
        super.visitMaxs(maxStack, maxLocals);
    }

    /** The locals valid in the whole body: this, the arguments, and the locals enter() created, in that order. */
    private Object[] entryLocals() {
        List<Object> locals = new ArrayList<>();
        if ((methodAccess & ACC_STATIC) == 0) {
            locals.add(owner);
        }
        for (Type argument : Type.getArgumentTypes(methodDesc)) {
            locals.add(frameType(argument));
        }
        locals.addAll(enterLocals);
        return locals.toArray();
    }

    private final List<Object> enterLocals = new ArrayList<>();

    /** A local created by enter(), stored before the body starts and read at every exit. */
    int enterLocal(Type type) {
        int local = newLocal(type);
        enterLocals.add(frameType(type));
        return local;
    }

    private static Object frameType(Type type) {
        switch (type.getSort()) {
            case Type.BOOLEAN: case Type.BYTE: case Type.CHAR: case Type.SHORT: case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            default:
                return type.getSort() == Type.ARRAY ? type.getDescriptor() : type.getInternalName();
        }
    }
}

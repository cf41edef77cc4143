package dev.daxaudit.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.daxaudit.agent.bootstrap.Hooks;
import java.io.FileDescriptor;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import sun.nio.ch.DirectBuffer;

/**
 * {@code sun.nio.ch.FileChannelImpl}: {@code map} (every mode, including the JEP 352 *_SYNC modes, to a
 * MappedByteBuffer and, on JDK 22+, to a MemorySegment in any arena),
 * {@code force(boolean)} (fsync of the whole file, whichever channel of it is used), {@code truncate}, and
 * closing the channel (which does not unmap anything, but leaves unsynced pages with one descriptor fewer to
 * fsync them through).
 */
public final class FileChannelImplInstrumentation implements TypeInstrumentation {
    @Override
    public String typeName() {
        return "sun.nio.ch.FileChannelImpl";
    }

    @Override
    public AsmVisitorWrapper advice() {
        return new AsmVisitorWrapper.Compound(
                Advice.to(MapAdvice.class).on(named("map").and(takesArguments(3))),
                Advice.to(MapSegmentAdvice.class).on(named("map").and(takesArguments(4))),
                Advice.to(FsyncAdvice.class).on(named("force").and(takesArguments(1))),
                Advice.to(TruncateAdvice.class).on(named("truncate").and(takesArguments(long.class))),
                Advice.to(CloseAdvice.class).on(named("implCloseChannel").and(takesArguments(0))));
    }

    static final class MapAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.This FileChannel self) {
            return Hooks.sizeOf(self);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter long sizeBefore, @Advice.This FileChannel self,
                         @Advice.FieldValue("fd") FileDescriptor fd,
                         @Advice.FieldValue("path") String path, @Advice.Argument(0) Object mode,
                         @Advice.Argument(1) long position, @Advice.Argument(2) long size,
                         @Advice.Return MappedByteBuffer buffer) {
            if (buffer != null && size > 0) {
                Hooks.map(self, fd, path, mode, position, size, ((DirectBuffer) buffer).address(), sizeBefore);
            }
        }
    }

    /**
     * JDK 22+: {@code map(mode, position, size, arena)} returns a {@code MemorySegment}. The advice names no FFM
     * type in its signature, so it can be described on JDK 17, where it matches no method and costs nothing.
     */
    static final class MapSegmentAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.This FileChannel self) {
            return Hooks.sizeOf(self);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Enter long sizeBefore, @Advice.This FileChannel self,
                         @Advice.FieldValue("fd") FileDescriptor fd,
                         @Advice.FieldValue("path") String path, @Advice.Argument(0) Object mode,
                         @Advice.Argument(1) long position, @Advice.Argument(2) long size,
                         @Advice.Return Object segment) {
            if (segment != null && size > 0) {
                Hooks.map(self, fd, path, mode, position, size,
                        ((java.lang.foreign.MemorySegment) segment).address(), sizeBefore);
            }
        }
    }

    static final class FsyncAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("fd") FileDescriptor fd) {
            return Hooks.fsyncStart(fd);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object writeback, @Advice.Thrown Throwable thrown) {
            Hooks.writebackEnd(writeback, thrown == null);
        }
    }

    static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("fd") FileDescriptor fd) {
            Hooks.channelClosing(fd);
        }
    }

    static final class TruncateAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This FileChannel self, @Advice.FieldValue("fd") FileDescriptor fd) {
            try {
                Hooks.resized(fd, self.size());
            } catch (java.io.IOException ignored) {
                // the channel is unusable; its file keeps whatever size the engine last saw
            }
        }
    }
}

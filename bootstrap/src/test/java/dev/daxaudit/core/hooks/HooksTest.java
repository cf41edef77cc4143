package dev.daxaudit.core.hooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.daxaudit.core.AgentOptions;
import dev.daxaudit.core.DaxEngine;
import dev.daxaudit.core.FileId;
import dev.daxaudit.core.MappingMode;
import dev.daxaudit.core.RunningEngine;
import dev.daxaudit.core.Storage;
import dev.daxaudit.core.report.Finding;
import dev.daxaudit.core.report.PageRange;
import java.io.FileDescriptor;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hooks as the instrumented JDK calls them, against an engine over made-up addresses: which calls reach the
 * engine (off-heap stores into an audited mapping) and which do not (heap arrays, addresses in no mapping, files
 * never mapped), and that nothing they are handed makes them throw: every error is counted instead.
 */
@TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class HooksTest {
    private static final long BASE = 0x7e00_0000_0000L;
    private static final long PAGE = 4096;
    private static DaxEngine engine;

    @BeforeAll
    static void installEngine() throws Exception {
        Storage.Probe dax = (device, path) -> new Storage("ext4", "/pmem", Storage.Model.DAX, "test: dax");
        engine = new DaxEngine(AgentOptions.parse(""), System::nanoTime, dax);
        // Before Hooks is initialised: it keeps the running engine in a static final field.
        assertTrue(RunningEngine.install(engine));
    }

    private static long map(int file, long address, long pages) {
        long size = pages * PAGE;
        engine.map(new FileId(9, file), "/pmem/hooks-" + file, MappingMode.READ_WRITE, address, size, 0, size, size);
        return address;
    }

    private static List<Long> unsynced(String path) {
        List<Long> out = new ArrayList<>();
        for (Finding f : engine.findingsSince(0)) {
            if (f.file().equals(path)) {
                for (PageRange r : f.ranges()) {
                    out.add(r.start());
                    out.add(r.end());
                }
            }
        }
        return out;
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void offHeapStoresIntoAMappingReachTheEngineAndNothingElseDoes() {
        long address = map(1, BASE, 4);
        Hooks.stored(null, address + 100, 8);               // a putLong at an absolute address
        Hooks.stored(new byte[64], address + PAGE, 8);      // a heap array: base and offset are not an address
        Hooks.stored(null, BASE + (1L << 30), 8);           // plain direct memory, in no mapping
        Hooks.storedBulk(null, address + 2 * PAGE, PAGE);   // a copy into page 2
        Hooks.storedBulk(new long[8], address + 3 * PAGE, 64);
        Hooks.storedBulk(null, address + 3 * PAGE, 0);      // an empty copy stores nothing
        assertEquals(List.of(0L, PAGE, 2 * PAGE, 3 * PAGE), unsynced("/pmem/hooks-1"));
        assertEquals(0, engine.errors().count());
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aForceThatCompletesMakesItsPagesDurableAndOneThatThrowsMakesNothing() {
        long address = map(2, BASE + (1L << 32), 2);
        Hooks.store(address, 8);
        Hooks.store(address + PAGE, 4);
        Object failed = Hooks.forceStart(address, PAGE, false);
        assertNotNull(failed);
        Hooks.writebackEnd(failed, false); // msync threw: the program's force did not complete
        assertEquals(List.of(0L, 2 * PAGE), unsynced("/pmem/hooks-2"));
        Hooks.writebackEnd(Hooks.forceStart(address, PAGE, false), true);
        assertEquals(List.of(PAGE, 2 * PAGE), unsynced("/pmem/hooks-2"));
        assertNull(Hooks.forceStart(BASE + (1L << 40), PAGE, false)); // no audited mapping there
        Hooks.writebackEnd(null, true);
        assertEquals(0, engine.errors().count());
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void descriptorsOfFilesNeverMappedOrClosedAreIgnored(@TempDir Path dir) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(Files.createFile(dir.resolve("f")).toFile(), "rw")) {
            assertNull(Hooks.fsyncStart(raf.getFD()));
            Hooks.resized(raf.getFD(), 0);
            Hooks.channelClosing(raf.getFD());
        }
        assertNull(Hooks.fsyncStart(new FileDescriptor())); // not valid: a closed channel's
        assertEquals(0, engine.errors().count());
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void whateverTheHooksAreHandedTheyNeverThrowAndCountTheError() {
        long before = engine.errors().count();
        Hooks.writebackEnd("not a writeback", true);                   // ClassCastException inside
        Hooks.mapped(new Object(), 0, null, null, "/x", "READ_WRITE", 0, PAGE); // neither buffer nor segment
        Hooks.map(null, new FileDescriptor(), "/x", "READ_WRITE", 0, PAGE, BASE, 0); // no channel to size
        assertEquals(before + 3, engine.errors().count());
        Hooks.mapped(null, 0, null, null, "/x", "READ_WRITE", 0, PAGE);  // map threw: nothing returned, nothing to do
        Hooks.map(null, new FileDescriptor(), "/x", "NOT_A_MODE", 0, PAGE, BASE, 0); // a mode this JDK added later
        assertEquals(before + 3, engine.errors().count());
        assertEquals(-1, Hooks.sizeOf(null));
    }

    @Test
    @org.junit.jupiter.api.Order(5)
    void theJvmsOwnErrorsGoOnToTheApplicationAndTheAgentsAreCounted(@TempDir Path dir) throws Exception {
        long before = engine.errors().count();
        try (RandomAccessFile raf = new RandomAccessFile(Files.createFile(dir.resolve("g")).toFile(), "rw")) {
            FileDescriptor fd = raf.getFD();
            InternalError fault = new InternalError("a fault occurred in an unsafe memory access operation");
            InternalError thrown = org.junit.jupiter.api.Assertions.assertThrows(InternalError.class,
                    () -> Hooks.map(new FailingChannel(fault), fd, "/pmem/g", "READ_WRITE", 0, PAGE, BASE, 0));
            assertEquals(fault, thrown);
            org.junit.jupiter.api.Assertions.assertThrows(InternalError.class,
                    () -> Hooks.sizeOf(new FailingChannel(new InternalError("unsafe access"))));
            // Memory run out inside a hook is the agent's doing: counted, never the application's.
            Hooks.map(new FailingChannel(new OutOfMemoryError("the agent's allocation")), fd, "/pmem/g",
                    "READ_WRITE", 0, PAGE, BASE, 0);
            Hooks.map(new FailingChannel(new IllegalStateException("the agent's own")), fd, "/pmem/g", "READ_WRITE",
                    0, PAGE, BASE, 0);
            assertEquals(-1, Hooks.sizeOf(new FailingChannel(new IllegalStateException("not the JVM's"))));
        }
        assertEquals(before + 2, engine.errors().count(), "only the agent's own errors are counted");
    }

    /** A channel whose size() throws what it is given; nothing else of it is used. */
    private static final class FailingChannel extends java.nio.channels.FileChannel {
        private final Throwable failure;

        FailingChannel(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public long size() {
            if (failure instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) failure;
        }

        private static UnsupportedOperationException unused() {
            return new UnsupportedOperationException();
        }

        @Override
        public int read(java.nio.ByteBuffer dst) {
            throw unused();
        }

        @Override
        public long read(java.nio.ByteBuffer[] dsts, int offset, int length) {
            throw unused();
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            throw unused();
        }

        @Override
        public long write(java.nio.ByteBuffer[] srcs, int offset, int length) {
            throw unused();
        }

        @Override
        public long position() {
            throw unused();
        }

        @Override
        public java.nio.channels.FileChannel position(long newPosition) {
            throw unused();
        }

        @Override
        public java.nio.channels.FileChannel truncate(long size) {
            throw unused();
        }

        @Override
        public void force(boolean metaData) {
            throw unused();
        }

        @Override
        public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) {
            throw unused();
        }

        @Override
        public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) {
            throw unused();
        }

        @Override
        public int read(java.nio.ByteBuffer dst, long position) {
            throw unused();
        }

        @Override
        public int write(java.nio.ByteBuffer src, long position) {
            throw unused();
        }

        @Override
        public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) {
            throw unused();
        }

        @Override
        public java.nio.channels.FileLock lock(long position, long size, boolean shared) {
            throw unused();
        }

        @Override
        public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) {
            throw unused();
        }

        @Override
        protected void implCloseChannel() {
        }
    }
}

package dev.daxaudit.agent;

import dev.daxaudit.core.report.AuditReport;
import dev.daxaudit.core.report.JsonReportWriter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Report files that a reader never sees half written and a power cut does not lose, and a place to put a report that
 * cannot go where it was asked to. A report is written to a temporary file in the target's own directory, fsynced,
 * renamed over the target, and the directory fsynced: a durability auditor's own report follows the rules it checks.
 * A target that exists and is not a regular file (a device such as /dev/null, a FIFO, a directory, or a symbolic
 * link to one) is never written: renaming over it would replace the device node for every process on the machine.
 */
final class ReportFiles {
    private ReportFiles() {
    }

    /** What goes into a report file, written straight to it: a report of 10,000 files is never a byte array. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The report as JSON. */
    static Content json(AuditReport report) {
        return out -> new JsonReportWriter().write(report, out);
    }

    /** Writes {@code bytes} to {@code target} atomically; see {@link #writeAtomically(Path, Content)}. */
    static void writeAtomically(Path target, byte[] bytes) throws IOException {
        writeAtomically(target, out -> out.write(bytes));
    }

    /** Writes {@code content} to {@code target} atomically: a reader sees the old file or the whole new one. */
    static void writeAtomically(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        String notAFile = notARegularFile(absolute);
        if (notAFile != null) {
            throw new IOException(notAFile);
        }
        Path dir = absolute.getParent();
        // Named by pid and time, not by Files.createTempFile, whose random names would initialise SecureRandom and
        // the security providers in every audited JVM's exit (4% of a trivial program's CPU under the agent).
        Path tmp = dir.resolve("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".tmp");
        dev.daxaudit.core.DaxEngine engine = dev.daxaudit.core.RunningEngine.get();
        if (engine != null) {
            engine.vfs().agentIo(true); // a report is none of the program's files in its crash states
        }
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream stream = new BufferedOutputStream(new Unclosed(Channels.newOutputStream(out)), 1 << 16);
                content.writeTo(stream);
                stream.flush();
                out.force(true); // the content before the name: a crash never leaves an empty report under it
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir); // the rename itself
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } finally {
            if (engine != null) {
                engine.vfs().agentIo(false);
            }
        }
    }

    /**
     * Where a report goes when {@code target} cannot be written: the temporary directory, under a short name unique
     * to this JVM and target (pid and a hash of the target's path), never derived from an over-long name.
     */
    static Path fallback(Path target) {
        return Paths.get(System.getProperty("java.io.tmpdir"), "dax-audit-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(target.toAbsolutePath().toString().hashCode()) + ".json");
    }

    /** Why {@code path} must not be replaced by a report, or null: it is absent or a regular file. */
    static String notARegularFile(Path path) {
        if (!Files.exists(path) || Files.isRegularFile(path)) {
            return null; // a new name, or a regular file (through a symbolic link or not)
        }
        return "the report path " + shown(path) + (Files.isDirectory(path) ? " is a directory"
                : " is not a regular file (a device, a FIFO or a socket)");
    }

    /** A stream whose close only flushes: the JSON writer closes what it writes to, the channel must stay open. */
    private static final class Unclosed extends OutputStream {
        private final OutputStream out;

        Unclosed(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** fsync of a directory, for the names in it; a file system that cannot do it keeps them as it can. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // not supported here: the rename stands, durable when the file system makes it so
        }
    }

    /**
     * Why a write failed, in a few words: the file system's reason where it gives one (the line names the file
     * already), else the exception's simple name and message, a long one cut in the middle.
     */
    static String reason(Throwable t) {
        if (t instanceof java.nio.file.FileSystemException && ((java.nio.file.FileSystemException) t).getReason() != null) {
            return ((java.nio.file.FileSystemException) t).getReason();
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + shown(message));
    }

    /** A path (or a message naming one) as a line shows it: over 60 characters, cut in the middle. */
    static String shown(Object path) {
        String s = String.valueOf(path);
        return s.length() <= 60 ? s : s.substring(0, 20) + "..." + s.substring(s.length() - 37);
    }

    /**
     * A problem with the report's directory that is visible now, or null: said once at start, so a user sees it
     * while the program runs rather than only at exit.
     */
    static String problemWith(Path target) {
        String notAFile = notARegularFile(target.toAbsolutePath());
        if (notAFile != null) {
            return notAFile;
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return "the report directory " + shown(dir) + " does not exist";
        }
        if (!Files.isWritable(dir)) {
            return "the report directory " + shown(dir) + " is not writable";
        }
        return null;
    }
}

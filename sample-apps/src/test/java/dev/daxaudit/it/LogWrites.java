package dev.daxaudit.it;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The log a dm-log-writes target leaves on its log device (drivers/md/dm-log-writes.c, documented in the kernel's
 * {@code admin-guide/device-mapper/log-writes.rst}), read and replayed onto a disk image. The target logs each write
 * the disk completed once a flush has made it stable, in that order, then the flush; FUA writes as they complete;
 * marks where userspace asked ({@code dmsetup message <dev> 0 mark <name>}). Replaying the log up to an entry gives
 * the disk as it was on stable media at that moment.
 *
 * <p>Layout, little endian: the super at byte 0 ({@code log_write_super}: magic, version, nr_entries, sectorsize,
 * the data device's logical block size); from byte {@code sectorsize} on, one entry per {@code sectorsize} block
 * ({@code log_write_entry}: sector, nr_sectors, both in units of sectorsize, flags, data_len; a mark's name follows
 * the entry in the same block), followed by the written data, {@code nr_sectors} blocks (none for a discard).
 */
final class LogWrites {
    static final long MAGIC = 0x6a736677736872L;
    static final long FLUSH = 1, FUA = 1 << 1, DISCARD = 1 << 2, MARK = 1 << 3;
    private static final int ENTRY = 32;

    /** One logged write, flush, discard or mark; {@code data}: where its blocks start in the log. */
    record Entry(int index, long sector, long sectors, long flags, String mark, long data) {
        boolean is(long flag) {
            return (flags & flag) != 0;
        }
    }

    final int sectorSize;
    final List<Entry> entries;
    private final Path log;

    private LogWrites(Path log, int sectorSize, List<Entry> entries) {
        this.log = log;
        this.sectorSize = sectorSize;
        this.entries = entries;
    }

    static LogWrites read(Path log) throws IOException {
        try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ)) {
            ByteBuffer superBlock = readAt(in, 0, 28);
            if (superBlock.getLong() != MAGIC) {
                throw new IOException(log + " holds no dm-log-writes log (bad magic)");
            }
            long version = superBlock.getLong();
            long count = superBlock.getLong();
            int sectorSize = superBlock.getInt();
            if (version != 1 || sectorSize < 512 || Integer.bitCount(sectorSize) != 1) {
                throw new IOException(log + ": log version " + version + ", sector size " + sectorSize);
            }
            List<Entry> entries = new ArrayList<>();
            long at = sectorSize;
            for (int i = 0; i < count; i++) {
                ByteBuffer e = readAt(in, at, sectorSize);
                long sector = e.getLong();
                long sectors = e.getLong();
                long flags = e.getLong();
                long dataLength = e.getLong();
                String mark = null;
                if ((flags & MARK) != 0) {
                    byte[] name = new byte[(int) Math.min(dataLength, sectorSize - ENTRY)];
                    e.get(name);
                    mark = new String(name, StandardCharsets.UTF_8);
                } else if (dataLength != 0) {
                    // Inline data is logged only for DAX devices, which the guest's disk is not.
                    throw new IOException(log + ": entry " + i + " carries inline data, which this reader does not replay");
                }
                entries.add(new Entry(i, sector, sectors, flags, mark, at + sectorSize));
                at += sectorSize + ((flags & DISCARD) != 0 ? 0 : sectors * sectorSize);
            }
            return new LogWrites(log, sectorSize, List.copyOf(entries));
        }
    }

    /** The index of the first mark named {@code name} at or after entry {@code from}, or -1. */
    int mark(String name, int from) {
        for (int i = from; i < entries.size(); i++) {
            if (name.equals(entries.get(i).mark())) {
                return i;
            }
        }
        return -1;
    }

    /** Applies entries {@code from} (inclusive) to {@code to} (exclusive) to {@code disk}: writes and discards. */
    void replay(FileChannel disk, int from, int to) throws IOException {
        try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ)) {
            for (Entry e : entries.subList(from, to)) {
                long offset = e.sector() * sectorSize;
                long length = e.sectors() * sectorSize;
                if (e.is(DISCARD)) {
                    // A discarded range reads back as zeros on the guest's virtio disk (a hole in its image).
                    ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
                    for (long done = 0; done < length; ) {
                        zeros.clear().limit((int) Math.min(zeros.capacity(), length - done));
                        done += disk.write(zeros, offset + done);
                    }
                } else if (length > 0) {
                    long done = 0;
                    while (done < length) {
                        done += in.transferTo(e.data() + done, length - done, disk.position(offset + done));
                    }
                }
            }
        }
    }

    private static ByteBuffer readAt(FileChannel in, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (in.read(b, at + b.position()) < 0) {
                throw new IOException("the log ends inside the block at " + at);
            }
        }
        return b.flip();
    }
}

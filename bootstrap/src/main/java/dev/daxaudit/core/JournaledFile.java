package dev.daxaudit.core;

import java.io.RandomAccessFile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One file of a {@link CrashJournal}: first seen mapped or written through the write family, numbered in that
 * order. A mapped file's stores are its {@link AddressSpace}'s; the pages written through {@code write(2)} (which the
 * mapping's stores do not see) are kept here, pending until a sync covers them: the page cache is one, so an fsync or
 * fdatasync of the file, or an msync of a range over them, writes them back.
 *
 * <p>Guarded by the journal's monitor.
 */
final class JournaledFile {
    final int index;
    final FileId id;
    final String path;
    /** The file's mapping, once it was mapped. */
    AddressSpace space;
    /** The size a sync last made durable (first sight, then each sync). */
    long durableSize;
    /** The descriptor opened at first sight, or null where it could not be opened. */
    RandomAccessFile reader;
    /** Pages written through the write family and not yet durable, in the order first written, with that write. */
    final Map<Long, Event> written = new LinkedHashMap<>();

    JournaledFile(int index, FileId id, String path, long size) {
        this.index = index;
        this.id = id;
        this.path = path;
        this.durableSize = size;
    }
}

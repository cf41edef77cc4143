package dev.daxaudit.core.report;

/**
 * The file's pages at a glance, for a plot: {@code cells} holds one character per cell of {@code pagesPerCell}
 * pages, {@code U} if any page in it is unsynced (or was lost unsynced), else {@code S} if any was dirty and then synced, else {@code C}
 * (never dirtied). Large files are aggregated to at most {@link #MAX_CELLS} cells.
 */
public record PageMap(long pages, long pagesPerCell, String cells) {
    public static final int MAX_CELLS = 512;
}

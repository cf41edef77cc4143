package dev.daxaudit.tools.crash;

/**
 * One of {@code of} shares of a run's distinct crash states ({@code --shard K/N}): the states numbered K, K + N,
 * K + 2N... in the enumeration, which is the same on every machine that runs the same program. N runs, one per
 * shard (a CI matrix, a batch scheduler), check every state once; {@code crash-merge} puts their reports together.
 */
public record Shard(int index, int of) {
    /** Every state: no sharding. */
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (of < 1 || index < 1 || index > of) {
            throw new IllegalArgumentException("--shard must be K/N with 1 <= K <= N: " + index + "/" + of);
        }
    }

    /** {@code K/N}. */
    public static Shard parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2 || !parts[0].matches("\\d{1,6}") || !parts[1].matches("\\d{1,6}")) {
            throw new IllegalArgumentException("--shard must be K/N, such as 2/3: " + text);
        }
        return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /** Whether the distinct state numbered {@code number} (from 1) is this shard's. */
    public boolean holds(int number) {
        return (number - 1) % of == index - 1;
    }

    public boolean isAll() {
        return of == 1;
    }
}

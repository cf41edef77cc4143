package dev.daxaudit.benchmarks;

/** The program whose start-up {@link StartupBenchmark} measures: a JVM that starts, prints one line and ends. */
public final class TrivialMain {
    private TrivialMain() {
    }

    public static void main(String[] args) {
        System.out.println("hello");
    }
}

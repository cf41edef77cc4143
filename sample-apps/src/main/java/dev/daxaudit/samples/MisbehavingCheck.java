package dev.daxaudit.samples;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A recovery check (for {@code crash-test --check-class}) that misbehaves in some states, to show that each such
 * state affects only itself: in state 2 it calls {@code System.exit(0)}, in state 3 it leaves a thread running that
 * marks the JVM poisoned, in state 6 it never answers. Every state fails if the JVM it runs in is poisoned or if its
 * statics carry a count from an earlier state, so a checker JVM reused after a leak, or a class loader shared
 * between states, shows as a failing state.
 */
public final class MisbehavingCheck {
    private static final String POISONED = "dax-audit.sample.poisoned";
    private static int calls;

    private MisbehavingCheck() {
    }

    public static void main(String[] args) throws Exception {
        if (++calls > 1) {
            throw new AssertionError("statics carried over from an earlier state: " + calls + " calls");
        }
        if (System.getProperty(POISONED) != null) {
            throw new AssertionError("a thread left by " + System.getProperty(POISONED) + " runs in this JVM");
        }
        String name = Path.of(args[0]).getFileName().toString();
        switch (name) {
            case "state-2" -> System.exit(0);
            case "state-3" -> {
                CountDownLatch marked = new CountDownLatch(1);
                Thread leaked = new Thread(() -> {
                    System.setProperty(POISONED, name);
                    marked.countDown();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                leaked.start();
                marked.await();
            }
            case "state-6" -> Thread.sleep(Long.MAX_VALUE);
            default -> { }
        }
        System.out.println("consistent");
    }
}

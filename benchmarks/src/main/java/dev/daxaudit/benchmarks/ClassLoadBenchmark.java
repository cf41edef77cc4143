package dev.daxaudit.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Class loading as an application's start-up pays it: every class of a real library (JMH's own 300-odd classes,
 * read from this jar) defined in a fresh class loader, which is where the agent's transformers run for each class
 * (the call-site rewriter's constant-pool scan, and its rewrite of the few that call what it redirects). One
 * operation is the whole library.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClassLoadBenchmark {
    private static final String LIBRARY = "org/openjdk/jmh/";
    private final Map<String, byte[]> classes = new HashMap<>();
    private List<String> names;

    @Setup
    public void readLibrary() throws IOException, URISyntaxException {
        Path jar = Path.of(ClassLoadBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : java.util.Collections.list(file.entries())) {
                String name = entry.getName();
                if (name.startsWith(LIBRARY) && name.endsWith(".class")) {
                    try (InputStream in = file.getInputStream(entry)) {
                        classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
                    }
                }
            }
        }
        if (classes.size() < 100) {
            throw new IllegalStateException("only " + classes.size() + " classes under " + LIBRARY + " in " + jar);
        }
        names = new ArrayList<>(classes.keySet());
    }

    @Benchmark
    public int loadLibrary() throws ClassNotFoundException {
        LibraryLoader loader = new LibraryLoader(classes);
        int loaded = 0;
        for (String name : names) {
            loaded += loader.loadClass(name) != null ? 1 : 0;
        }
        return loaded;
    }

    /** Child first for the library's classes, so each is defined (and transformed) again by every new loader. */
    private static final class LibraryLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        LibraryLoader(Map<String, byte[]> classes) {
            super(ClassLoadBenchmark.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] bytes = classes.get(name);
                    c = bytes != null ? defineClass(name, bytes, 0, bytes.length) : super.loadClass(name, false);
                }
                return c;
            }
        }
    }
}

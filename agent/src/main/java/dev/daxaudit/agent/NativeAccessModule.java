package dev.daxaudit.agent;

import dev.daxaudit.core.FileExtents;
import dev.daxaudit.core.PageWriteTracker;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The agent's FFM code (package {@code dev.daxaudit.agent.kernel}: the kernel tracker, {@code SeekData}). Its
 * calls are restricted methods: called from the class path they would print the JDK's native-access warning into
 * the application's output, and with {@code --illegal-native-access=deny} fail. So those classes are defined in a
 * module of their own, in a layer of their own, made once, and native access is enabled for that module alone (the
 * application's unnamed module keeps whatever the command line gave it).
 */
final class NativeAccessModule {
    private static final String MODULE = "dev.daxaudit.kernel";
    private static final String PACKAGE = "dev.daxaudit.agent.kernel";
    private static final List<String> CLASSES = List.of("UffdPageTracker", "UffdPageTracker$FaultsIntoPages",
            "PageFaultSampler", "PageFaultSampler$Samples", "SeekData");
    private static ClassLoader loader;

    private NativeAccessModule() {
    }

    /** The kernel tracker, or an exception whose message says in a few words why the kernel cannot track writes. */
    static PageWriteTracker kernelTracker(Instrumentation inst) throws Throwable {
        return (PageWriteTracker) create(inst, "UffdPageTracker", "open");
    }

    /**
     * Where files hold data ({@code lseek SEEK_DATA/SEEK_HOLE}), for the crash journal's first-sight copies; on a
     * JDK without FFM, or if the module cannot be made, {@link FileExtents#UNKNOWN} (files are read whole).
     */
    static FileExtents fileExtents(Instrumentation inst) {
        try {
            return (FileExtents) create(inst, "SeekData", "create");
        } catch (Throwable t) {
            return FileExtents.UNKNOWN;
        }
    }

    private static Object create(Instrumentation inst, String simpleName, String factory) throws Throwable {
        Class<?> type = load(inst).loadClass(PACKAGE + "." + simpleName);
        try {
            return type.getMethod(factory).invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static synchronized ClassLoader load(Instrumentation inst) throws Exception {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            throw new UnsupportedOperationException("needs JDK 22+ (the FFM API), this is JDK " + feature);
        }
        if (loader != null) {
            return loader;
        }
        Map<String, byte[]> classFiles = new java.util.HashMap<>();
        for (String name : CLASSES) {
            String resource = PACKAGE.replace('.', '/') + "/" + name + ".class";
            try (InputStream in = NativeAccessModule.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from the agent jar");
                }
                classFiles.put(resource, in.readAllBytes());
            }
        }
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(MODULE).packages(Set.of(PACKAGE)).exports(PACKAGE).build();
        ModuleFinder finder = new OneModule(new InMemory(descriptor, classFiles));
        Configuration configuration = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(configuration,
                List.of(ModuleLayer.boot()), null);
        Module module = controller.layer().findModule(MODULE).orElseThrow();
        // Its classes implement the engine's interfaces, which live in the boot loader's unnamed module.
        controller.addReads(module, PageWriteTracker.class.getModule());
        enableNativeAccess(inst, module);
        loader = controller.layer().findLoader(MODULE);
        return loader;
    }

    /**
     * What {@code --enable-native-access=dev.daxaudit.kernel} would do, through the JDK's internal access (which
     * the agent may open to itself); {@code ModuleLayer.Controller.enableNativeAccess} would need native access
     * already.
     */
    private static void enableNativeAccess(Instrumentation inst, Module module) throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        Module self = NativeAccessModule.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.access", Set.of(self)), Map.of(), Set.of(),
                Map.of());
        Object access = Class.forName("jdk.internal.access.SharedSecrets").getMethod("getJavaLangAccess").invoke(null);
        Class.forName("jdk.internal.access.JavaLangAccess").getMethod("addEnableNativeAccess", Module.class)
                .invoke(access, module);
    }

    /** A module whose class files are held in memory. */
    private static final class InMemory extends ModuleReference {
        private final Map<String, byte[]> classFiles;

        InMemory(ModuleDescriptor descriptor, Map<String, byte[]> classFiles) {
            super(descriptor, null);
            this.classFiles = classFiles;
        }

        @Override
        public ModuleReader open() {
            return new ModuleReader() {
                @Override
                public Optional<URI> find(String resource) {
                    return Optional.empty();
                }

                @Override
                public Optional<InputStream> open(String resource) {
                    return Optional.ofNullable(classFiles.get(resource)).map(java.io.ByteArrayInputStream::new);
                }

                @Override
                public Optional<ByteBuffer> read(String resource) {
                    return Optional.ofNullable(classFiles.get(resource)).map(ByteBuffer::wrap);
                }

                @Override
                public Stream<String> list() {
                    return classFiles.keySet().stream();
                }

                @Override
                public void close() throws IOException {
                }
            };
        }
    }

    private static final class OneModule implements ModuleFinder {
        private final ModuleReference module;

        OneModule(ModuleReference module) {
            this.module = module;
        }

        @Override
        public Optional<ModuleReference> find(String name) {
            return name.equals(module.descriptor().name()) ? Optional.of(module) : Optional.empty();
        }

        @Override
        public Set<ModuleReference> findAll() {
            return Set.of(module);
        }
    }
}

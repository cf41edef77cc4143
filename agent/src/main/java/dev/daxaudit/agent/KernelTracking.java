package dev.daxaudit.agent;

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
 * Opens the kernel tracker ({@code tracking=kernel|auto}). Its FFM calls are restricted methods: called from the
 * class path they would print the JDK's native-access warning into the application's output, and with
 * {@code --illegal-native-access=deny} fail. So the tracker class is defined in a module of its own, in a layer of
 * its own, and native access is enabled for that module alone (the application's unnamed module keeps whatever the
 * command line gave it).
 */
final class KernelTracking {
    private static final String MODULE = "dev.daxaudit.kernel";
    private static final String PACKAGE = "dev.daxaudit.agent.kernel";
    private static final String CLASS_FILE = PACKAGE.replace('.', '/') + "/UffdPageTracker.class";

    private KernelTracking() {
    }

    /** The tracker, or an exception whose message says in a few words why the kernel cannot track writes here. */
    static PageWriteTracker open(Instrumentation inst) throws Throwable {
        int feature = Runtime.version().feature();
        if (feature < 22) {
            throw new UnsupportedOperationException("needs JDK 22+ (the FFM API), this is JDK " + feature);
        }
        byte[] classFile;
        try (InputStream in = KernelTracking.class.getClassLoader().getResourceAsStream(CLASS_FILE)) {
            if (in == null) {
                throw new IllegalStateException(CLASS_FILE + " is missing from the agent jar");
            }
            classFile = in.readAllBytes();
        }
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(MODULE).packages(Set.of(PACKAGE)).exports(PACKAGE).build();
        ModuleFinder finder = new OneModule(new InMemory(descriptor, CLASS_FILE, classFile));
        Configuration configuration = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(configuration,
                List.of(ModuleLayer.boot()), null);
        Module module = controller.layer().findModule(MODULE).orElseThrow();
        // The tracker implements the engine's interface, which lives in the boot loader's unnamed module.
        controller.addReads(module, PageWriteTracker.class.getModule());
        enableNativeAccess(inst, module);
        Class<?> tracker = controller.layer().findLoader(MODULE).loadClass(PACKAGE + ".UffdPageTracker");
        try {
            return (PageWriteTracker) tracker.getMethod("open").invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * What {@code --enable-native-access=dev.daxaudit.kernel} would do, through the JDK's internal access (which
     * the agent may open to itself); {@code ModuleLayer.Controller.enableNativeAccess} would need native access
     * already.
     */
    private static void enableNativeAccess(Instrumentation inst, Module module) throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        Module self = KernelTracking.class.getModule();
        inst.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.access", Set.of(self)), Map.of(), Set.of(),
                Map.of());
        Object access = Class.forName("jdk.internal.access.SharedSecrets").getMethod("getJavaLangAccess").invoke(null);
        Class.forName("jdk.internal.access.JavaLangAccess").getMethod("addEnableNativeAccess", Module.class)
                .invoke(access, module);
    }

    /** A module whose one class file is held in memory. */
    private static final class InMemory extends ModuleReference {
        private final String name;
        private final byte[] bytes;

        InMemory(ModuleDescriptor descriptor, String name, byte[] bytes) {
            super(descriptor, null);
            this.name = name;
            this.bytes = bytes;
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
                    return resource.equals(name) ? Optional.of(new java.io.ByteArrayInputStream(bytes)) : Optional.empty();
                }

                @Override
                public Optional<ByteBuffer> read(String resource) {
                    return resource.equals(name) ? Optional.of(ByteBuffer.wrap(bytes)) : Optional.empty();
                }

                @Override
                public Stream<String> list() {
                    return Stream.of(name);
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

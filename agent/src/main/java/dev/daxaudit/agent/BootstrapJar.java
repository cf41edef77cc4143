package dev.daxaudit.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Copies the classes that java.base must link to (the engine, the hooks, and the JSON library they use) out of
 * the agent jar into a temporary jar on the boot class path. Byte Buddy and the rest of the agent stay with the
 * application class loader, so nothing but this small set is visible to every class in the JVM.
 */
final class BootstrapJar {
    private static final String[] BOOT_PACKAGES = {
        "dev/daxaudit/core/", "dev/daxaudit/agent/bootstrap/", "dev/daxaudit/shaded/jackson/core/",
        "dev/daxaudit/shaded/hdrhistogram/"
    };

    private BootstrapJar() {
    }

    static void appendTo(Instrumentation inst) throws IOException {
        File agentJar;
        try {
            agentJar = new File(PreMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IOException("dax-audit: cannot locate the agent jar", e);
        }
        File bootJar = File.createTempFile("dax-audit-boot-", ".jar");
        bootJar.deleteOnExit();
        try (JarFile source = new JarFile(agentJar);
             JarOutputStream out = new JarOutputStream(new java.io.FileOutputStream(bootJar))) {
            for (Enumeration<JarEntry> entries = source.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (!entry.isDirectory() && isBootClass(entry.getName())) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar));
    }

    private static boolean isBootClass(String name) {
        for (String prefix : BOOT_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

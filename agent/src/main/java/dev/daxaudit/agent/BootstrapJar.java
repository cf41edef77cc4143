package dev.daxaudit.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the boot jar on the boot class path: the {@code bootstrap} module (the engine and the hooks that java.base
 * links to) with the libraries it uses, relocated, built by the agent's own build and carried inside the agent jar
 * as {@value #BOOT_JAR}. Byte code tools and the rest of the agent stay with the application class loader, so
 * nothing but that module is visible to every class in the JVM, and what goes there is decided by the build (one
 * module), not by a list of packages here.
 *
 * <p>Every JVM of a test suite starts the agent, so the boot jar is cached: in a directory of the user's own, mode
 * 0700 and owned by the user ({@code $XDG_CACHE_HOME/dax-audit/agent} or {@code ~/.cache/dax-audit/agent}; where
 * the home has none, {@code dax-audit-<user>} in the temporary directory; else no cache at all), under
 * a name derived from the agent jar's path, size and modification time. A cached jar is written once, atomically,
 * and reused by every later JVM; a directory anyone else could write into is never trusted.
 */
final class BootstrapJar {
    /** Where the agent jar carries the boot jar (agent/pom.xml, the {@code boot-jar} shade). */
    static final String BOOT_JAR = "dev/daxaudit/agent/dax-audit-boot.jar";

    private BootstrapJar() {
    }

    /** Where the boot jar was found or cached, and its name without ".jar": the key other caches are named by. */
    private static volatile Path cachedBootJar;

    /** The directory of the user's own that caches this agent jar's files, or null. */
    static Path cacheDirectory() {
        Path c = cachedBootJar;
        return c == null ? null : c.getParent();
    }

    /** The name this agent jar's cached files start with (its boot jar's name without ".jar"), or null. */
    static String cacheKey() {
        Path c = cachedBootJar;
        return c == null ? null : c.getFileName().toString().replaceFirst("\\.jar$", "");
    }

    static void appendTo(Instrumentation inst) throws IOException {
        File agentJar;
        try {
            agentJar = new File(PreMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IOException("dax-audit: cannot locate the agent jar", e);
        }
        Path cached = cachedPath(agentJar);
        cachedBootJar = cached;
        Path bootJar;
        if (cached != null && Files.isRegularFile(cached, LinkOption.NOFOLLOW_LINKS) && intact(agentJar, cached)) {
            bootJar = cached;
        } else {
            // No usable cache (another user's directory, a file in its place, no write permission): a boot jar for
            // this JVM alone, in the temporary directory, never an error.
            Path fresh = cached != null ? Files.createTempFile(cached.getParent(), "dax-audit-boot-", ".jar")
                    : Files.createTempFile("dax-audit-boot-", ".jar");
            extract(agentJar, fresh);
            bootJar = cached != null ? publish(fresh, cached) : fresh;
            if (bootJar == fresh) {
                fresh.toFile().deleteOnExit();
            }
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(bootJar.toFile()));
    }

    /**
     * Where this agent jar's boot jar is cached, or null when there is no directory that only this user can write:
     * the user's cache ({@code $XDG_CACHE_HOME/dax-audit/agent}, else {@code ~/.cache/dax-audit/agent}; the guest's
     * kernels are cached beside it), which no other user can squat; the temporary directory's
     * {@code dax-audit-<user>} only where the home has no usable cache.
     */
    private static Path cachedPath(File agentJar) {
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9._-]", "_");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path home = xdg != null && xdg.startsWith("/") ? Path.of(xdg)
                : Path.of(System.getProperty("user.home", "/nonexistent"), ".cache");
        Path dir = ownDirectory(home.resolve("dax-audit").resolve("agent"), false);
        if (dir == null) {
            dir = ownDirectory(Path.of(System.getProperty("java.io.tmpdir"), "dax-audit-" + user), true);
        }
        if (dir == null) {
            return null;
        }
        String key = agentJar.getAbsolutePath() + '|' + agentJar.length() + '|' + agentJar.lastModified();
        return dir.resolve("boot-" + Integer.toHexString(key.hashCode()) + "-" + agentJar.length() + ".jar");
    }

    /**
     * {@code dir}, made if missing (its parents too, unless {@code shared}: in a directory every user writes only
     * the one level), if this user owns it with mode 0700; else null (no cache there).
     */
    private static Path ownDirectory(Path dir, boolean shared) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
                if (shared) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
                } else {
                    Files.createDirectories(dir.getParent());
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
                }
            }
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            // By name, not by creating a file to compare owners: a temporary file's random name would load
            // and seed SecureRandom, a tenth of the whole start-up.
            boolean ours = attributes.owner().getName().equals(System.getProperty("user.name"));
            return ours && attributes.permissions().equals(PosixFilePermissions.fromString("rwx------"))
                    && Files.isWritable(dir) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null; // not there and not creatable, no POSIX file system
        }
    }

    /** Moves {@code fresh} to {@code cached} atomically; another JVM may have just done the same, which is fine. */
    private static Path publish(Path fresh, Path cached) {
        try {
            Files.move(fresh, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeStale(cached);
            return cached;
        } catch (AtomicMoveNotSupportedException e) {
            return fresh;
        } catch (IOException e) {
            return fresh;
        }
    }

    /**
     * Boot jars and instrumented classes of agent jars rebuilt or moved since: a week old, they go (open ones stay
     * readable).
     */
    private static void removeStale(Path cached) {
        long weekAgo = System.currentTimeMillis() - 7L * 24 * 3600 * 1000;
        String current = cached.getFileName().toString().replaceFirst("\\.jar$", "");
        try (java.nio.file.DirectoryStream<Path> jars = Files.newDirectoryStream(cached.getParent(),
                "{boot-*.jar,class-boot-*.class}")) {
            for (Path jar : jars) {
                boolean ours = jar.equals(cached) || jar.getFileName().toString().startsWith("class-" + current + "-");
                if (!ours && Files.getLastModifiedTime(jar).toMillis() < weekAgo) {
                    Files.deleteIfExists(jar);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a cache that is not cleaned up is no reason to stop
        }
    }

    /**
     * Whether the cached boot jar is the one this agent jar carries: same size and CRC-32 as the agent jar records
     * for its entry. A damaged or altered cached jar is extracted again instead of being put on the boot class path.
     * (A CRC finds damage and accidents; whoever can write the user's own cache directory can also write the agent
     * jar.)
     */
    private static boolean intact(File agentJar, Path cached) {
        try (JarFile source = new JarFile(agentJar)) {
            JarEntry entry = source.getJarEntry(BOOT_JAR);
            if (entry == null || entry.getSize() != Files.size(cached)) {
                return false;
            }
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(Files.readAllBytes(cached));
            return crc.getValue() == entry.getCrc();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void extract(File agentJar, Path target) throws IOException {
        try (JarFile source = new JarFile(agentJar)) {
            JarEntry entry = source.getJarEntry(BOOT_JAR);
            if (entry == null) {
                throw new IOException("the agent jar has no " + BOOT_JAR + " (not built by this project's build?)");
            }
            try (InputStream in = source.getInputStream(entry); OutputStream out = Files.newOutputStream(target)) {
                in.transferTo(out);
            }
        }
    }
}

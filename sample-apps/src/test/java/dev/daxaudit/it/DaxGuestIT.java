package dev.daxaudit.it;

import java.util.List;
import java.util.stream.Stream;

/** {@link DaxGuestChecks} on the kernel of the machine's own Debian release, every scenario on JDK 17 and 25. */
class DaxGuestIT extends DaxGuestChecks {
    @Override
    String suite() {
        return null;
    }

    @Override
    List<Jdk> jdks() {
        return List.of(Jdk.values());
    }

    @Override
    List<String> realistic() {
        return Stream.of(REALISTIC).map(r -> r[0]).toList();
    }
}

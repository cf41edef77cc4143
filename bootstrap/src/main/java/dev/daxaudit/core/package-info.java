/**
 * The engine, in the {@code bootstrap} module: what runs inside the audited JVM on its boot class path, called from
 * hooks inlined into java.base. The data truth (which pages the program stored and which of its own forces and
 * fsyncs covered them), the DAX model beside it ({@code DaxModel}, named after fs/dax.c), the crash journal, the
 * options and the report built from all of them. It depends on the JDK alone (and jackson-core and HdrHistogram,
 * relocated into the boot jar); no instrumentation, no command line. No invokedynamic on its event paths: no
 * lambdas there and no indy string concatenation ({@code -XDstringConcat=inline}).
 */
package dev.daxaudit.core;

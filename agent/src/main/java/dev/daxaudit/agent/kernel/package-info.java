/**
 * The kernel tracker ({@code tracking=kernel}): userfaultfd write-protect and PAGEMAP_SCAN through FFM, loaded into
 * a module of its own that alone is given native access. Uses the FFM API (JDK 22+): never loaded on older JDKs.
 */
package dev.daxaudit.agent.kernel;

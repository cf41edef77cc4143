package dev.daxaudit.tools.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.daxaudit.core.report.AuditReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A dax-audit JSON report, read back by the command line: checked against the published schema of its version, a
 * version 1 report upgraded to version 2 (see {@link ReportUpgrade}), and the engine's records read from it on demand
 * ({@link #report()}, which the text summary is rendered from, as it is at exit).
 */
public final class ReportDocument {
    private final JsonNode root;
    private AuditReport records;

    private ReportDocument(JsonNode root) {
        this.root = root;
    }

    public JsonNode root() {
        return root;
    }

    /** The report as the engine's records, read from the document once. */
    public AuditReport report() {
        AuditReport r = records;
        if (r == null) {
            records = r = ReportReader.read(root);
        }
        return r;
    }

    /**
     * Parses a report and checks it against the published schema of its version, so that everything rendered from
     * it can rely on its shape; the message of the exception is the one line a user sees.
     */
    public static ReportDocument parse(String json, String source) throws BadReportException {
        JsonNode root;
        try {
            root = JsonTree.read(json);
        } catch (JsonProcessingException e) {
            throw new BadReportException(source + ": not a JSON document (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new BadReportException(source + ": not a JSON document (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject() || !"dax-audit".equals(root.path("tool").asText())) {
            throw new BadReportException(source + ": not a dax-audit report");
        }
        JsonNode versionNode = root.path("schemaVersion");
        int version = versionNode.canConvertToInt() ? versionNode.asInt(-1) : -1;
        if (version != 1 && version != AuditReport.SCHEMA_VERSION) {
            throw new BadReportException(source + ": report schema version " + version + " is not supported (this "
                    + "dax-audit reads versions 1 to " + AuditReport.SCHEMA_VERSION + ")");
        }
        ReportSchemas.check(root, version, source);
        return new ReportDocument(version == 1 ? ReportUpgrade.fromVersion1(root) : root);
    }

    public static ReportDocument read(Path file) throws BadReportException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new BadReportException(file + ": no such file");
        } catch (IOException e) {
            throw new BadReportException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    /** A report that cannot be used: missing, not JSON, not ours, or of a schema version this build does not read. */
    public static final class BadReportException extends Exception {
        private static final long serialVersionUID = 1L;

        public BadReportException(String message) {
            super(message);
        }
    }
}

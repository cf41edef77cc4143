package dev.daxaudit.tools.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The published JSON Schemas of the report, versions 1 and 2, as the command line checks every report it reads:
 * a document that does not conform gets one line naming the first thing wrong, never a stack trace from a renderer.
 */
final class ReportSchemas {
    /** Longest violation quoted in the error line. */
    private static final int QUOTED = 160;

    private ReportSchemas() {
    }

    private static final class Loaded {
        static final JsonSchema V1 = load(1);
        static final JsonSchema V2 = load(2);

        private static JsonSchema load(int version) {
            String name = "/dev/daxaudit/core/report/dax-audit-report-" + version + ".schema.json";
            try (InputStream in = ReportSchemas.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("the agent jar lacks " + name);
                }
                return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + name, e);
            }
        }
    }

    static void check(JsonNode report, int version, String source) throws ReportDocument.BadReportException {
        Set<ValidationMessage> violations = (version == 1 ? Loaded.V1 : Loaded.V2).validate(report);
        if (!violations.isEmpty()) {
            String first = violations.iterator().next().getMessage().replaceAll("\\s+", " ");
            if (first.length() > QUOTED) {
                first = first.substring(0, QUOTED - 3) + "...";
            }
            throw new ReportDocument.BadReportException(source + ": not a valid dax-audit report (schema version "
                    + version + "): " + first + (violations.size() > 1 ? " (and " + (violations.size() - 1)
                    + " more)" : ""));
        }
    }
}

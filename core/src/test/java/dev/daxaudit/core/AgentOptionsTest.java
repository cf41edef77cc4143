package dev.daxaudit.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaults() throws Exception {
        AgentOptions o = AgentOptions.parse(null);
        assertEquals("dax-audit-report.json", o.reportPath());
        assertEquals(EnumSet.allOf(AgentOptions.Format.class), o.formats());
        assertTrue(o.pmdEntries());
        assertEquals(null, o.model());
        assertFalse(o.strict());
        assertTrue(o.audits("/anything"));
    }

    @Test
    void parsesEveryKey() throws Exception {
        AgentOptions o = AgentOptions.parse("report=/tmp/r.json,formats=json,include=/data/**,"
                + "exclude=/data/tmp/**:**.idx,entries=pte,strict=true,model=dax");
        assertEquals("/tmp/r.json", o.reportPath());
        assertEquals(EnumSet.of(AgentOptions.Format.JSON), o.formats());
        assertFalse(o.pmdEntries());
        assertEquals(Storage.Model.DAX, o.model());
        assertTrue(o.strict());
        assertTrue(o.audits("/data/log/0001.log"));
        assertFalse(o.audits("/data/tmp/x"));
        assertFalse(o.audits("/data/a/b.idx"));
        assertFalse(o.audits("/other/x"));
    }

    @Test
    void unknownKeyNamesTheKeyAndTheValidOnes() {
        OptionsException e = assertThrows(OptionsException.class, () -> AgentOptions.parse("reprot=x"));
        assertTrue(e.getMessage().startsWith("dax-audit: unknown option 'reprot'; valid keys: report ("),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void badValueNamesTheOptionAndTheValue() {
        OptionsException e = assertThrows(OptionsException.class, () -> AgentOptions.parse("formats=xml"));
        assertTrue(e.getMessage().startsWith("dax-audit: bad value 'xml' for option 'formats'"), e.getMessage());
        assertThrows(OptionsException.class, () -> AgentOptions.parse("entries=huge"));
        assertThrows(OptionsException.class, () -> AgentOptions.parse("model=tmpfs"));
        assertThrows(OptionsException.class, () -> AgentOptions.parse("report"));
        assertThrows(OptionsException.class, () -> AgentOptions.parse("include=[a"));
    }

    @Test
    void strictIsReadEvenWhenTheRestIsBad() {
        assertTrue(AgentOptions.asksStrict("bogus,strict=true"));
        assertFalse(AgentOptions.asksStrict("bogus"));
    }
}

// A finding an @ExpectUnsynced test declared passes the test and does not fail the build's check either.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0')
assert log.contains('dax-audit: 1 finding(s) declared by @ExpectUnsynced tests: not counted')
assert log.contains('dax-audit: check passed')
assert new File(basedir, 'target/dax-audit').listFiles().any { it.name.endsWith('.expected') }
// report shows it too, as declared: suppressed (accepted) in SARIF, marked in HTML, named in the build log.
assert log.contains('dax-audit: 1 of these finding(s) declared by @ExpectUnsynced tests: shown, not counted by check')
def sarif = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/site/dax-audit/dax-audit.sarif'))
def results = sarif.runs[0].results
assert results.size() == 1
assert results[0].suppressions == [[kind: 'external', status: 'accepted',
        justification: 'declared by @ExpectUnsynced in example.MappedLogTest.leavesARecordUnsyncedOnPurpose']]
def html = new File(basedir, 'target/site/dax-audit/index.html').text
assert html.contains('Declared by @ExpectUnsynced in example.MappedLogTest.leavesARecordUnsyncedOnPurpose')
assert html.contains('Every finding was declared by a test')

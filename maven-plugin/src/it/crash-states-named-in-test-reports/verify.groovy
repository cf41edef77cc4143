// @CrashTest invocations reach the XML report (what CI servers show) under their display names, each a crash state
// with its crash point, not as recordsAreAPrefix(Path)[N].
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: ') && !log.contains('Tests run: 0,')
def xml = new File(basedir, 'target/surefire-reports/TEST-example.ThreeRecordsCrashTest.xml').text
def names = (xml =~ /<testcase name="([^"]*)"/).collect { it[1] }
assert !names.isEmpty()
assert names.every { it.contains("crash state ") } : names
assert names.any { it.contains('MappedLog.commit') } : names
// A module whose tests are all @CrashTest maps its files in forks: check counts them and passes.
assert log.contains('dax-audit: check passed') : 'check did not pass'
assert new File(basedir, 'target/dax-audit').listFiles().any { it.name.endsWith('.crash-tests') }

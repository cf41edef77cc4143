// A finding an @ExpectUnsynced test declared passes the test and does not fail the build's check either.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0')
assert log.contains('dax-audit: 1 finding(s) declared by @ExpectUnsynced tests: not counted')
assert log.contains('dax-audit: check passed')
assert new File(basedir, 'target/dax-audit').listFiles().any { it.name.endsWith('.expected') }

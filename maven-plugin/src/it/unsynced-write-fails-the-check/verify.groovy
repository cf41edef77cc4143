// No extension: the tests pass, and the check goal fails the build on the report the test JVM wrote.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0')
assert log.contains('dax-audit: UNSYNCED ')
assert log.contains('dax-audit: check failed: 1 finding(s), 0 hazard(s) in 1 report(s)')
assert new File(basedir, 'target/site/dax-audit/index.html').exists()
assert new File(basedir, 'target/site/dax-audit/dax-audit.sarif').exists()

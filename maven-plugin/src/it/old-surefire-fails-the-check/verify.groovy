// Surefire 2.12.4 (Maven 3.8's default) runs no JUnit 5 test: prepare-agent warns, and check fails instead of passing
// on a report of nothing.
def log = new File(basedir, 'build.log').text
assert log.contains('dax-audit: maven-surefire-plugin 2.12.4 runs no JUnit 5 test')
assert log.contains(' saw a mapped file: did the tests run (Surefire 2.22+ for JUnit 5)?')
assert !log.contains('check passed')

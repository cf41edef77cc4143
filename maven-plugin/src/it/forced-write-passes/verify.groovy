// The forced version: the audited test passes and the check passes.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0')
assert log.contains('dax-audit: check passed: no finding and no hazard in 1 report(s)')
assert new File(basedir, 'target/site/dax-audit/index.html').text.contains('dax-audit report')

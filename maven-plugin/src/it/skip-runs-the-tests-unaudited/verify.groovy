// -Ddax-audit.skip=true: no agent, and the @DaxAudit test runs unaudited (it used to error: "the agent is not loaded").
def log = new File(basedir, 'build.log').text
assert log.contains('dax-audit: skipped')
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
assert !log.contains('the agent is not loaded')

// The same unsynced write as in unsynced-write-fails-the-check, but accepted in the baseline: only new ones fail.
def log = new File(basedir, 'build.log').text
assert log.contains('dax-audit: check passed: 1 finding(s) and hazard(s), all in the baseline')

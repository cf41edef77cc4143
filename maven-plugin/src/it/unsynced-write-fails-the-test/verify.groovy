// The @DaxAudit test failed with the file, the pages and the site of the unsynced store.
def log = new File(basedir, 'build.log').text
assert log.contains('dax-audit: this test left 1 file(s) with stores it made that no force or fsync made durable:')
assert log =~ /records\.log: 1 page\(s\) \[0, 4096\)/
assert log =~ /first stored at example\.MappedLog\.append\(MappedLog\.java:\d+\) \(1 page\(s\)\)/
assert log.contains('Tests run: 1, Failures: 1')

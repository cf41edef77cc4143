// The @DaxAudit test failed with the file, the pages and the site of the unsynced store. The test is the README's
// five-minute test without its commit(), and the site is the one the README quotes.
def log = new File(basedir, 'build.log').text
assert log.contains('dax-audit: this test left 1 file(s) with stores it made that no force or fsync made durable:')
assert log =~ /records\.log: 1 page\(s\) \[0, 4096\)/
assert log =~ /first stored at example\.MappedLog\.append\(MappedLog\.java:20\) \(1 page\(s\)\)/
assert log.contains('Tests run: 1, Failures: 1')

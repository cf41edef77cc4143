// The README's "Your own project in five minutes" is this project: its pom, MappedLog and MappedLogTest are the
// section's code blocks, byte for byte (the pom as the build filtered it, with the versions the README shows).
// It builds first (setupIncludes) and the other example builds use its MappedLog.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0')
assert log.contains('dax-audit: check passed: no finding and no hazard in 1 report(s)')
assert new File(basedir, 'target/site/dax-audit/index.html').text.contains('dax-audit report')

def readme = new File(basedir, '../../../../README.md').text
def blocks = (readme =~ /(?s)<!-- five-minute project: (\S+) -->\n```\w*\n(.*?)```/).collect { [it[1], it[2]] }
assert blocks*.get(0) == ['pom.xml', 'src/main/java/example/MappedLog.java', 'src/test/java/example/MappedLogTest.java']
blocks.each { name, code ->
    assert new File(basedir, name).text == code : "README's ${name} is not the tested project's"
}
true // invoker fails a post-build script that returns anything but true or null

import Testing
@testable import MultiProcAdvisor

@Suite struct GlobPatternTests {
  @Test(arguments: [
    ("*.conf", "a.conf", true), ("*.conf", "dir/a.conf", false), ("a?c", "abc", true), ("a?c", "a/c", false),
    ("[a-c]x", "bx", true), ("[^a-c]x", "bx", false), ("[^a-c]x", "dx", true), ("\\*", "*", true),
    ("/etc/supervisor/conf.d/*.conf", "/etc/supervisor/conf.d/nginx.conf", true),
    ("**/*.sh", "a/b/c.sh", true), ("**/*.sh", "c.sh", true), ("a/**", "a/b/c", true), ("a/**/z", "a/z", true),
    ("a/**/z", "a/b/c/z", true), ("a/**/z", "a/b/c/y", false), ("é*", "été", true),
  ])
  func matches(pattern: String, path: String, expected: Bool) {
    #expect(GlobPattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
  }

  @Test func unterminatedClassIsInvalidAndMatchesNothing() {
    let pattern = GlobPattern("[abc")
    #expect(!pattern.isValid)
    #expect(!pattern.matches("a"))
  }

  @Test func starDoesNotBacktrackExponentially() {
    let path = String(repeating: "a", count: 5000)
    #expect(!GlobPattern(String(repeating: "*a", count: 50) + "b").matches(path))
  }
}

@Suite struct DockerIgnoreTests {
  @Test func lastMatchWinsAndDirectoriesExcludeTheirContents() {
    let ignore = DockerIgnore(text: "# comment\n\n*.md\n!README.md\n/node_modules\n  build/  \r\n**/*.log\n")
    #expect(ignore.excludes("CHANGES.md"))
    #expect(!ignore.excludes("README.md"))
    #expect(ignore.excludes("node_modules/x/y.js"))
    #expect(ignore.excludes("build/out"))
    #expect(ignore.excludes("deep/dir/x.log"))
    #expect(!ignore.excludes("start.sh"))
    #expect(!ignore.excludes("docs/a.md"))
  }

  @Test func emptyIgnoresNothing() {
    #expect(!DockerIgnore.empty.excludes("anything"))
  }
}

@Suite struct GlobComponentTests {
  @Test func starMatchesAnEmptyComponentLikeGo() {
    #expect(GlobPattern.matchComponent(Array("*".utf8), []))
    #expect(!GlobPattern.matchComponent(Array("?".utf8), []))
  }
}

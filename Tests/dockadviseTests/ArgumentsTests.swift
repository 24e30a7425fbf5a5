import Testing

@testable import dockadvise

/// The shared argument scanner and the lint option parser.
@Suite struct ArgumentsTests {
  let options: [Arguments.Option] = [Arguments.Option("--format", "-f", value: "FORMAT"), .flag("--check"), Arguments.Option("--output", value: "FILE")]

  @Test func valuesFlagsAndOperandsKeepTheirOrder() throws {
    let scanned = try Arguments.scan(["a", "--format", "json", "-f", "sarif", "--output=x.sarif", "--check", "-", "b"], options: options).get()
    #expect(scanned.operands == ["a", "-", "b"])
    #expect(
      scanned.occurrences == [
        .init(name: "--format", value: "json"), .init(name: "--format", value: "sarif"), .init(name: "--output", value: "x.sarif"),
        .init(name: "--check", value: nil),
      ])
    #expect(scanned.values("--format") == ["json", "sarif"])
    #expect(scanned.last("--format") == "sarif")
    #expect(scanned.has("--check"))
  }

  @Test func doubleDashEndsOptions() throws {
    let scanned = try Arguments.scan(["--check", "--", "--format", "-x"], options: options).get()
    #expect(scanned.operands == ["--format", "-x"])
  }

  @Test func problems() {
    #expect(Arguments.scan(["--fromat", "json"], options: options).failure?.description == "unknown option '--fromat' (did you mean '--format'?)")
    #expect(Arguments.scan(["--zzz"], options: options).failure?.description == "unknown option '--zzz'")
    #expect(Arguments.scan(["--format"], options: options).failure?.description == "--format needs a value (--format FORMAT)")
    #expect(Arguments.scan(["--check=yes"], options: options).failure?.description == "--check takes no value")
    #expect(Arguments.scan(["--output=a=b"], options: options).success?.last("--output") == "a=b")
  }

  @Test func lintOutputsPairWithTheirFormats() throws {
    let parsed = try LintOptions.parse(["-f", "text", "-f", "sarif", "-o", "r.sarif", "--format=json", "--output", "r.json"], environment: [:]).get()
    #expect(parsed.outputs == [.init(format: .text, path: nil), .init(format: .sarif, path: "r.sarif"), .init(format: .json, path: "r.json")])
    let early = try LintOptions.parse(["-o", "report.txt", "Dockerfile"], environment: [:]).get()
    #expect(early.outputs == [.init(format: .text, path: "report.txt")])
    #expect(LintOptions.parse(["-f", "json", "-o", "a", "-o", "b"], environment: [:]).failure != nil)
    #expect(LintOptions.parse(["-f", "json", "-o", "a", "-f", "sarif", "-o", "a"], environment: [:]).failure != nil)
    #expect(LintOptions.parse(["-", "-"], environment: [:]).failure?.description == "standard input ('-') can be linted only once")
  }

  @Test func lintRuleFlagsAcceptCodesAndNames() throws {
    let parsed = try LintOptions.parse(
      ["--ignore", "da101,background-process", "--severity", "missing-init=info", "--rules", "DA205"], environment: [:]
    ).get()
    #expect(parsed.ignored == ["DA101", "DA201"])
    #expect(parsed.severities.map(\.code) == ["DA206"])
    #expect(parsed.only == ["DA205"])
  }

  @Test func buildArgumentsWithoutValueComeFromTheEnvironment() throws {
    let parsed = try LintOptions.parse(["--build-arg", "A=1", "--build-arg", "B", "--build-arg", "C"], environment: ["B": "2"]).get()
    #expect(parsed.buildArguments == ["A": "1", "B": "2"])
  }

  @Test func paths() {
    #expect(Paths.normalize("./a//b/./c/") == "a/b/c")
    #expect(Paths.normalize("a/../../b") == "../b")
    #expect(Paths.normalize("/a/../..") == "/")
    #expect(Paths.normalize("") == ".")
    #expect(Paths.absolute("../x", from: "/w/y") == "/w/x")
    #expect(Paths.relative("/w/y/z", to: "/w") == "y/z")
    #expect(Paths.relative("/wy/z", to: "/w") == nil)
    #expect(Paths.uri("dir with space/a#b.sh") == "dir%20with%20space/a%23b.sh")
    #expect(Paths.uri("c:d/x") == "c%3Ad/x")
    #expect(Paths.uri("/abs/é") == "file:///abs/%C3%A9")
  }
}

extension Result {
  var failure: Failure? { if case .failure(let error) = self { error } else { nil } }
  var success: Success? { if case .success(let value) = self { value } else { nil } }
}

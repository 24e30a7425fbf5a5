import DockerfileParser
import Testing
@testable import MultiProcAdvisor

@Suite struct ConfigurationTests {
  private func parse(_ text: String) -> Result<Configuration, Configuration.Problem> {
    Configuration().merging(json: SourceFile(path: ".dockadvise.json", text: text), rules: RuleRegistry.identifiers)
  }

  @Test func readsEveryKey() throws {
    let config = try parse(#"{"ignore": ["DA105", "background-process"], "severity": {"da304": "warning"}, "fail-on": "error", "trusted-inits": ["/usr/local/bin/my-init"]}"#).get()
    #expect(config.ignored == ["DA105", "DA201"])
    #expect(config.severities == ["DA304": .warning])
    #expect(config.failOn == .error)
    #expect(config.trustedInits == ["/usr/local/bin/my-init"])
    #expect(config.isIgnored(id: "DA201", name: "background-process"))
  }

  @Test func failOnNone() throws {
    #expect(try parse(#"{"fail-on": "none"}"#).get().failOn == nil)
  }

  @Test(arguments: [
    (#"{"ignore": ["DA999"]}"#, 1, 13, "unknown rule 'DA999'"),
    (#"{"ignroe": []}"#, 1, 2, "unknown key 'ignroe' (did you mean 'ignore'?)"),
    ("{\n  \"severity\": {\"DA101\": \"fatal\"}\n}", 2, 25, "severity must be one of"),
    ("{\n  \"ignore\": [\"keepalive-hakc\"]\n}", 2, 14, "did you mean 'keepalive-hack'?"),
    (#"{"ignore": "DA101"}"#, 1, 12, "'ignore' must be an array"),
    ("{\"fail-on\": \"warning\",}", 1, 23, "invalid JSON"),
    ("[1, 2]", 1, 1, "expected a JSON object"),
  ])
  func malformedConfigurationIsAnErrorWithLineAndColumn(text: String, line: Int, column: Int, message: String) {
    switch parse(text) {
    case .success: Issue.record("accepted \(text)")
    case .failure(let problem):
      #expect(problem.line == line && problem.column == column, "\(problem)")
      #expect(problem.message.contains(message), "\(problem)")
      #expect(problem.description.hasPrefix(".dockadvise.json:\(line):\(column): error: "))
    }
  }

  @Test func linterAppliesIgnoresAndSeverities() throws {
    let example = Example("FROM debian\nCMD service nginx start && tail -f /dev/null\n")
    var request = ExampleHarness.request(example)
    let all = Linter.lint(request).findings.map(\.ruleID)
    #expect(all.contains("DA105") && all.contains("DA101"))
    request.configuration = try parse(#"{"ignore": ["keepalive-hack"], "severity": {"DA101": "error"}}"#).get()
    let configured = Linter.lint(request).findings
    #expect(!configured.contains { $0.ruleID == "DA105" })
    #expect(configured.first { $0.ruleID == "DA101" }?.severity == .error)
  }

  @Test func trustedInitsCountAsInits() throws {
    let example = Example("FROM debian\nCOPY run.sh /run.sh\nENTRYPOINT [\"/usr/local/bin/my-init\", \"--\", \"/run.sh\"]\n", files: ["run.sh": "#!/bin/bash\na &\nb &\nwait\n"])
    var request = ExampleHarness.request(example)
    // An unknown program: dockadvise cannot tell what it runs, so it says nothing about run.sh.
    #expect(Linter.lint(request).findings.isEmpty)
    // Trusted as an init: run.sh is its child, analysed, and no init is missing.
    request.configuration = try parse(#"{"trusted-inits": ["my-init"]}"#).get()
    let ids = Linter.lint(request).findings.map(\.ruleID)
    #expect(ids.contains("DA202"))
    #expect(!ids.contains("DA206"))
  }
}

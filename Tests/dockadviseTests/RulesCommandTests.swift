import Foundation
import MultiProcAdvisor
import Testing

@testable import dockadvise

/// `rules`, `explain`, `help` and the generated rule documentation.
@Suite struct RulesCommandTests {
  @Test func rulesTableListsEveryRule() {
    let run = Golden.run(["rules"], in: Golden.repositoryRoot)
    #expect(run.status == .success)
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.count == RuleRegistry.all.count + 1)
    #expect(lines.first?.hasPrefix("CODE   NAME") == true)
    #expect(run.stdout.contains("DA101  shell-form-pid1"))
  }

  @Test func rulesJSON() throws {
    let run = Golden.run(["rules", "--format", "json"], in: Golden.repositoryRoot)
    let rules = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
    #expect(rules.map { $0["code"] as? String } == RuleRegistry.descriptions.map(\.id))
    #expect(rules.first.map { Array($0.keys).sorted() } == ["code", "family", "fixable", "help_uri", "name", "severity", "summary"])
  }

  @Test func rulesUsageErrors() {
    #expect(Golden.run(["rules", "--format", "yaml"], in: "/").status == .failure)
    let operand = Golden.run(["rules", "DA101"], in: "/")
    #expect(operand.status == .failure)
    #expect(operand.stderr.contains("dockadvise explain DA101"))
  }

  /// The committed `docs/rules` are what `dockadvise rules --write-docs docs/rules` generates.
  @Test func committedRuleDocsAreUpToDate() {
    let directory = Golden.repositoryRoot + "/docs/rules"
    for file in RuleDocumentation.files() {
      let committed = Golden.read(directory + "/" + file.path)
      #expect(
        committed == file.text,
        "docs/rules/\(file.path) is \(committed == nil ? "missing" : "out of date"); run 'swift run dockadvise rules --write-docs docs/rules'")
    }
    let pages = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".md") }
    #expect(Set(pages) == Set(RuleDocumentation.files().map(\.path)))
    let check = Golden.run(["rules", "--write-docs", "docs/rules", "--check"], in: Golden.repositoryRoot)
    #expect(check.status == .success, "\(check.stderr)")
  }

  @Test func writeDocsWritesAndChecks() throws {
    let root = NSTemporaryDirectory() + "dockadvise-docs-\(UUID().uuidString.prefix(8))"
    let stale = Golden.run(["rules", "--write-docs", "out", "--check"], in: NSTemporaryDirectory())
    #expect(stale.status == .findings)
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    let write = Golden.run(["rules", "--write-docs", "docs/rules"], in: root)
    #expect(write.status == .success)
    #expect(write.stderr.contains("wrote \(RuleRegistry.all.count + 1) of \(RuleRegistry.all.count + 1) pages"))
    #expect(Golden.run(["rules", "--write-docs", "docs/rules", "--check"], in: root).status == .success)
    try "changed".write(toFile: root + "/docs/rules/DA101.md", atomically: true, encoding: .utf8)
    let changed = Golden.run(["rules", "--write-docs", "docs/rules", "--check"], in: root)
    #expect(changed.status == .findings)
    #expect(changed.stderr.contains("docs/rules/DA101.md: error: out of date"))
  }

  @Test func markdownPagesShowMarkersAndCorrections() {
    let page = RuleDocumentation.markdown(ShellFormPID1Rule.description)
    #expect(page.contains("# DA101 `shell-form-pid1`"))
    #expect(page.contains("> CMD nginx -g 'daemon off;'\n  ^\n"))
    #expect(page.contains("After `dockadvise fix`"))
    #expect(!page.contains("↓"))
    let script = RuleDocumentation.markdown(ScriptWithoutExecRule.description)
    #expect(script.contains("`start.sh`"))
    #expect(script.contains("> gunicorn app:app\n  ^\n"))
  }

  @Test func markersInTheMiddleOfALineGetACaretThere() {
    let block = RuleDocumentation.block("Dockerfile", "FROM debian\nCMD ↓php-fpm8.2 -F & ↓nginx\n")
    #expect(block.lines.map(\.markers) == [[], [5, 21]])
    #expect(RuleDocumentation.render(block) == ["  FROM debian", "> CMD php-fpm8.2 -F & nginx", "      ^               ^"])
  }

  // MARK: explain

  @Test func explainByCodeOrName() {
    for identifier in ["DA101", "da101", "shell-form-pid1"] {
      let run = Golden.run(["explain", identifier], in: "/")
      #expect(run.status == .success)
      #expect(run.stdout.hasPrefix("DA101 shell-form-pid1 (warning, PID 1 and signals, fixable)\n"))
      #expect(run.stdout.contains("Why\n"))
      #expect(run.stdout.contains("Triggers"))
      #expect(run.stdout.contains("Does not trigger\n"))
      #expect(run.stdout.contains("    > CMD nginx -g 'daemon off;'\n      ^\n"))
      #expect(run.stdout.contains("Fix\n"))
      #expect(!run.stdout.contains("\u{1B}["))
    }
  }

  @Test func explainEveryRule() {
    for rule in RuleRegistry.descriptions {
      let run = Golden.run(["explain", rule.name], in: "/")
      #expect(run.status == .success)
      #expect(run.stdout.contains(rule.helpURI))
      #expect(!run.stdout.contains("↓"), "\(rule.id) shows raw markers")
    }
  }

  @Test func explainSuggestsNearMisses() {
    let code = Golden.run(["explain", "DA1O1"], in: "/")
    #expect(code.status == .failure)
    #expect(code.stderr.contains("no rule 'DA1O1' (did you mean 'DA101'?)"))
    let name = Golden.run(["explain", "shell-from-pid1"], in: "/")
    #expect(name.stderr.contains("did you mean 'shell-form-pid1'?"))
    let partial = Golden.run(["explain", "keepalive"], in: "/")
    #expect(partial.stderr.contains("did you mean 'keepalive-hack'?"))
    #expect(Golden.run(["explain"], in: "/").status == .failure)
    #expect(Golden.run(["explain", "DA101", "DA102"], in: "/").status == .failure)
  }

  @Test func explainMarkdownIsTheDocPage() {
    let run = Golden.run(["explain", "--format", "markdown", "DA202"], in: "/")
    #expect(run.stdout == RuleDocumentation.markdown(WaitForAllRule.description))
  }

  // MARK: help

  @Test func everyCommandHasHelp() {
    for command in CLI.commands {
      for flag in ["-h", "--help"] {
        let run = Golden.run([command.name, flag], in: "/")
        #expect(run.status == .success)
        #expect(run.stdout.hasPrefix("usage: dockadvise \(command.name)"), "\(command.name) \(flag)")
      }
      let help = Golden.run(["help", command.name], in: "/")
      #expect(help.stdout == command.usage)
    }
    let overview = Golden.run(["--help"], in: "/")
    for name in ["lint", "rules", "explain"] { #expect(overview.stdout.contains("  \(name) ")) }
    #expect(Golden.run(["help", "lnt"], in: "/").stderr.contains("did you mean 'lint'?"))
  }
}

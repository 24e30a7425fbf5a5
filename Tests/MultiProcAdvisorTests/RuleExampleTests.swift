import Foundation
import DockerfileParser
import Testing
@testable import MultiProcAdvisor

/// Runs every rule's examples (STYLE.md, section C): non-triggering examples stay silent, triggering
/// examples report exactly at their markers, corrections produce the expected files and are idempotent,
/// a suppression comment silences the rule, and CRLF line endings or a multibyte comment change nothing.
@Suite struct RuleExampleTests {
  static let ids = RuleRegistry.all.map { $0.description.id }

  @Test(arguments: ids)
  func nonTriggeringExamplesAreSilent(id: String) {
    let rule = RuleRegistry.rule(id)!
    for example in rule.description.nonTriggering {
      let findings = ExampleHarness.findings(rule, example)
      #expect(findings.isEmpty, "\(id) fired on a non-triggering example: \(findings.map(\.message))", sourceLocation: ExampleHarness.sourceLocation(example))
    }
  }

  @Test(arguments: ids)
  func triggeringExamplesReportAtTheirMarkers(id: String) {
    let rule = RuleRegistry.rule(id)!
    #expect(rule.description.triggering.count >= 3, "\(id) needs at least three triggering examples")
    #expect(rule.description.nonTriggering.count >= 3, "\(id) needs at least three non-triggering examples")
    for example in rule.description.triggering {
      let expected = ExampleHarness.expectedPositions(example)
      #expect(!expected.isEmpty, "\(id): a triggering example needs a ↓ marker", sourceLocation: ExampleHarness.sourceLocation(example))
      let findings = ExampleHarness.findings(rule, example)
      #expect(
        ExampleHarness.positions(findings) == expected, "\(id): \(findings.map { "\($0.location.file.path):\($0.location.start): \($0.message)" })",
        sourceLocation: ExampleHarness.sourceLocation(example))
    }
  }

  @Test(arguments: ids)
  func suppressionCommentsSilenceTheRule(id: String) {
    let rule = RuleRegistry.rule(id)!
    for example in rule.description.triggering {
      let (dockerfile, files) = ExampleHarness.suppressed(example, id: id)
      let findings = ExampleHarness.findings(rule, example, dockerfile: dockerfile, files: files)
      #expect(findings.isEmpty, "\(id) still fires under '# dockadvise ignore=\(id)': \(findings.map(\.message))", sourceLocation: ExampleHarness.sourceLocation(example))
      let byName = ExampleHarness.suppressed(example, id: rule.description.name)
      #expect(ExampleHarness.findings(rule, example, dockerfile: byName.0, files: byName.1).isEmpty, sourceLocation: ExampleHarness.sourceLocation(example))
    }
  }

  @Test(arguments: ids)
  func crlfAndMultibyteCommentsChangeNothing(id: String) {
    let rule = RuleRegistry.rule(id)!
    for example in rule.description.triggering + rule.description.nonTriggering {
      let plain = ExampleHarness.findings(rule, example).count
      let crlf = example.cleanDockerfile.replacing("\n", with: "\r\n")
      #expect(ExampleHarness.findings(rule, example, dockerfile: crlf).count == plain, "\(id): CRLF changes the result", sourceLocation: ExampleHarness.sourceLocation(example))
      let commented = DockerfileText.insertAfterDirectives("# überprüft — 日本語 ✓\n", into: example.cleanDockerfile)
      #expect(ExampleHarness.findings(rule, example, dockerfile: commented).count == plain, "\(id): a multibyte comment changes the result", sourceLocation: ExampleHarness.sourceLocation(example))
    }
  }

  @Test(arguments: ids)
  func correctionsProduceTheExpectedFilesAndSettle(id: String) {
    let rule = RuleRegistry.rule(id)!
    for correction in rule.description.corrections {
      let location = ExampleHarness.sourceLocation(correction.before)
      let (dockerfile, files, outcome) = ExampleHarness.fixed(correction.before, options: correction.options, rule: id)
      #expect(!outcome.hitPassLimit, "\(id): the fix loop did not settle", sourceLocation: location)
      #expect(dockerfile == correction.after.cleanDockerfile, "\(id): fixed Dockerfile differs:\n\(dockerfile)", sourceLocation: location)
      for (path, expected) in correction.after.cleanFiles {
        #expect(files[path] == expected, "\(id): fixed \(path) differs:\n\(files[path] ?? "<missing>")", sourceLocation: location)
      }
      // The fixed files no longer trigger the rule, and fixing them again changes nothing.
      let again = Example(correction.after.cleanDockerfile, files: files)
      #expect(ExampleHarness.findings(rule, again).allSatisfy { $0.fix == nil || !(correction.options.isEmpty ? $0.fix!.safety == .safe : true) }, "\(id): still fixable after the fix", sourceLocation: location)
      let (secondDockerfile, secondFiles, _) = ExampleHarness.fixed(again, options: correction.options, rule: id)
      #expect(secondDockerfile == dockerfile && secondFiles == files, "\(id): fix is not idempotent", sourceLocation: location)
    }
  }

  @Test(arguments: ids)
  func fixingANonTriggeringExampleChangesNothing(id: String) {
    let rule = RuleRegistry.rule(id)!
    for example in rule.description.nonTriggering {
      let findings = ExampleHarness.findings(rule, example)
      #expect(findings.allSatisfy { $0.fix == nil }, sourceLocation: ExampleHarness.sourceLocation(example))
    }
  }
}

@Suite struct RegistryTests {
  @Test func codesAndNamesAreUniqueAndSorted() {
    let ids = RuleRegistry.all.map { $0.description.id }
    #expect(ids == ids.sorted())
    #expect(Set(ids).count == ids.count)
    let names = RuleRegistry.all.map { $0.description.name }
    #expect(Set(names).count == names.count)
    #expect(names.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "-" || $0.isNumber } })
  }

  @Test func everyRuleFileIsRegistered() throws {
    let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Sources/MultiProcAdvisor/Rules")
    let files = try FileManager.default.contentsOfDirectory(atPath: rules.path).filter { $0.hasSuffix("Rule.swift") }
    let registered = Set(RuleRegistry.all.map { String(describing: $0) + ".swift" })
    #expect(Set(files) == registered)
  }

  @Test func everyCatalogueRuleExists() throws {
    let catalogue = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("shared/RULES.md")
    guard let text = try? String(contentsOf: catalogue, encoding: .utf8) else {
      print("skipped: \(catalogue.path) is not present")
      return
    }
    var expected: [String: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("| DA") {
      let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
      expected[cells[0]] = cells[1]
    }
    #expect(expected.count == 34)
    for (id, name) in expected {
      #expect(RuleRegistry.rule(id)?.description.name == name, "\(id) \(name)")
    }
  }
}

import Foundation
import Testing
@testable import DockerfileParser

/// BuildKit's own parser test data (`../shared/corpus/buildkit-parser`): the `testfiles` dumps, the
/// negative cases, line numbers, and expectations transcribed from BuildKit's Go tests.
@Suite(.enabled(if: TestData.corpusAvailable, "\(TestData.corpusMissing)"))
struct BuildKitCorpusTests {
  @Test(arguments: TestData.caseFolders("testfiles"))
  func testfileMatchesBuildKitDump(_ name: String) throws {
    let bytes = try TestData.corpusBytes("buildkit-parser/testfiles/\(name)/Dockerfile")
    let expected = String(decoding: try TestData.corpusBytes("buildkit-parser/testfiles/\(name)/result"), as: UTF8.self)
    let file = TestData.parse(bytes: bytes)
    #expect(file.parserAccepts, "\(file.issues)")
    #expect(file.buildKitDump() == expected)
    #expect(Invariants.violation(file) == nil)
  }

  @Test func allThirtyThreeTestfilesArePresent() {
    #expect(TestData.caseFolders("testfiles").count == 33)
  }

  @Test(arguments: TestData.caseFolders("testfiles-negative"))
  func negativeCaseIsRejected(_ name: String) throws {
    let bytes = try TestData.corpusBytes("buildkit-parser/testfiles-negative/\(name)/Dockerfile")
    let file = TestData.parse(bytes: bytes)
    #expect(!file.parserAccepts)
    #expect(file.issues.contains { $0.severity == .error && $0.layer == .parser })
    #expect(Invariants.violation(file) == nil)
  }

  @Test func negativeCasesGiveTheExpectedReasons() throws {
    func codes(_ name: String) throws -> [ParseIssue.Code] {
      let file = TestData.parse(bytes: try TestData.corpusBytes("buildkit-parser/testfiles-negative/\(name)/Dockerfile"))
      return file.issues.filter { $0.layer == .parser }.map(\.code)
    }
    #expect(try codes("empty_dockerfile") == [.noInstructions])
    #expect(try codes("only_comments") == [.noInstructions])
    #expect(try codes("env_no_value") == [.missingKeyValueArgument])
    #expect(try codes("shykes-nested-json") == [.jsonNotStringArray])
  }

  @Test func lineNumbersMatchBuildKit() throws {
    let expected = try #require(try TestData.corpusJSON("buildkit-parser/testfile-line/expected-lines.json") as? [String: Any])
    let pairs = try #require(expected["instructions"] as? [[Int]])
    let file = TestData.parse(bytes: try TestData.corpusBytes("buildkit-parser/testfile-line/Dockerfile"))
    #expect(file.instructions.map { [$0.startLine, $0.endLine] } == pairs)
    #expect(file.instructions.first?.startLine == expected["ast_start_line"] as? Int)
    #expect(file.instructions.last?.endLine == expected["ast_end_line"] as? Int)
    // `# ESCAPE=\` is a directive: keys are case-insensitive.
    #expect(file.directives.map(\.name) == ["escape"])
  }

  @Test(arguments: ["TestParseExtractsHeredoc-01", "TestParseJSONHeredoc-01"])
  func heredocsMatchBuildKitTests(_ name: String) throws {
    let folder = "buildkit-parser/snippets/parser_heredoc_test/\(name)"
    let expected = try #require(try TestData.corpusJSON("\(folder)/expected-heredocs.json") as? [String: Any])
    let children = try #require(expected["children"] as? [Any])
    let file = TestData.parse(bytes: try TestData.corpusBytes("\(folder)/Dockerfile"))
    #expect(file.parserAccepts)
    // Children 1...N of the AST; child 0 is the FROM.
    let instructions = Array(file.instructions.dropFirst())
    #expect(instructions.count == children.count)
    for (instruction, child) in zip(instructions, children) {
      let heredocs = (child as? [[String: Any]]) ?? []
      #expect(instruction.heredocs.count == heredocs.count, "line \(instruction.startLine)")
      for (heredoc, want) in zip(instruction.heredocs, heredocs) {
        #expect(heredoc.name == want["name"] as? String, "line \(instruction.startLine)")
        #expect(heredoc.contentText == want["content"] as? String, "line \(instruction.startLine)")
        #expect(heredoc.expands == want["expand"] as? Bool, "line \(instruction.startLine)")
        #expect(heredoc.stripsLeadingTabs == want["chomp"] as? Bool, "line \(instruction.startLine)")
        #expect(Int(heredoc.fileDescriptor) == want["fd"] as? Int, "line \(instruction.startLine)")
      }
    }
  }

  @Test func emptyContinuationLinesWarn() throws {
    let folder = "buildkit-parser/snippets/parser_test/TestParseWarnsOnEmptyContinutationLine-01"
    let file = TestData.parse(bytes: try TestData.corpusBytes("\(folder)/Dockerfile"))
    #expect(file.parserAccepts)
    let warnings = file.issues.filter { $0.code == .emptyContinuationLine }
    #expect(warnings.count == 2)
    #expect(warnings.allSatisfy { $0.severity == .warning })
    // The instructions they are in, as BuildKit's warnings name them.
    let lines = warnings.map { warning in
      file.instructions.first { $0.range.contains(warning.range) }.map { String(decoding: $0.logicalLine.bytes, as: UTF8.self) }
    }
    #expect(lines == ["RUN something     following     more", "RUN another     thing"])
  }

  @Test func copyHeredocAsDestinationIsAnInstructionError() throws {
    let folder = "buildkit-parser/snippets/parse_heredoc_test/TestErrorCasesHeredoc-01"
    let expected = try #require(try TestData.corpusJSON("\(folder)/expected-error.json") as? [String: Any])
    let file = TestData.parse(bytes: try TestData.corpusBytes("\(folder)/Dockerfile"))
    #expect(file.parserAccepts == (expected["parse_ok"] as? Bool))
    let message = try #require(expected["expected_error"] as? String)
    #expect(file.issues.contains { $0.layer == .instruction && $0.message.contains(message) })
  }

  @Test func checkDirectiveIsRecognised() throws {
    let files = TestData.corpusFiles("buildkit-parser/snippets/dockerfile_check_test") { $0 == "Dockerfile" }
    var checked = 0
    for path in files {
      let bytes = try TestData.corpusBytes(path)
      guard String(decoding: bytes, as: UTF8.self).hasPrefix("# check=") else { continue }
      let file = TestData.parse(bytes: bytes)
      #expect(file.directive(named: "check") != nil, "\(path)")
      checked += 1
    }
    #expect(checked > 0)
  }
}

import Foundation
@testable import DockerfileParser

/// Where the test data lives: `Fixtures/` in this package, and the shared corpus at
/// `../shared/corpus` from the package root (found through `#filePath`, not SwiftPM resources).
enum TestData {
  static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // Support
    .deletingLastPathComponent()  // DockerfileParserTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()

  static let fixtures = packageRoot.appendingPathComponent("Fixtures")

  static let corpusURL = packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL

  /// True when the shared corpus is present.
  static let corpusAvailable: Bool = {
    var isDirectory: ObjCBool = false
    let present = FileManager.default.fileExists(atPath: corpusURL.path, isDirectory: &isDirectory) && isDirectory.boolValue
    if !present { print("note: corpus tests skipped: \(corpusURL.path) is absent") }
    return present
  }()

  static let corpusMissing = "the shared corpus (../shared/corpus from the package root) is absent"

  /// Paths below `directory` (relative to the corpus) whose file name satisfies `include`, sorted.
  static func corpusFiles(_ directory: String, _ include: (String) -> Bool) -> [String] {
    guard corpusAvailable else { return [] }
    let base = corpusURL.appendingPathComponent(directory)
    guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else {
      return []
    }
    var result: [String] = []
    for case let url as URL in enumerator {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
      if include(url.lastPathComponent) {
        result.append(String(url.standardizedFileURL.path.dropFirst(corpusURL.path.count + 1)))
      }
    }
    return result.sorted()
  }

  /// Every Dockerfile of the corpus (BuildKit test files and snippets, official images, real-world
  /// files), relative to the corpus.
  static let allCorpusDockerfiles: [String] = corpusFiles("") { name in
    name == "Dockerfile" || (name.lowercased().contains("dockerfile") && !name.hasSuffix(".json") && !name.hasSuffix(".md"))
  }

  /// Case folders of a BuildKit test directory (`testfiles`, `testfiles-negative`).
  static func caseFolders(_ directory: String) -> [String] {
    guard corpusAvailable else { return [] }
    let url = corpusURL.appendingPathComponent("buildkit-parser/\(directory)")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
    return names.filter { !$0.hasPrefix(".") }.sorted()
  }

  static func corpusBytes(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: corpusURL.appendingPathComponent(relative)))
  }

  static func corpusJSON(_ relative: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: corpusURL.appendingPathComponent(relative)))
  }

  static func parse(_ text: String) -> Dockerfile { Dockerfile.parse(text) }

  static func parse(bytes: [UInt8]) -> Dockerfile { Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes)) }
}

/// Structural invariants every parse result must satisfy.
enum Invariants {
  /// A description of the first violated invariant, or nil.
  static func violation(_ file: Dockerfile) -> String? {
    let count = file.source.bytes.count
    var position = 0
    for (index, piece) in file.pieces.enumerated() {
      if piece.range.start != position { return "piece \(index) \(piece) starts at \(piece.range.start), expected \(position)" }
      if piece.range.isEmpty { return "piece \(index) \(piece) is empty" }
      position = piece.range.end
    }
    if position != count { return "pieces end at \(position), file has \(count) bytes" }
    if file.printed() != file.source.bytes { return "printed tree differs from the input" }
    var previousEnd = 0
    var previousPieces = 0
    for (index, instruction) in file.instructions.enumerated() {
      let range = instruction.range
      if range.start < previousEnd { return "instruction \(index) overlaps the previous one" }
      if range.end > count { return "instruction \(index) ends past the file" }
      previousEnd = range.end
      let indices = instruction.pieceIndices
      if indices.lowerBound < previousPieces || indices.upperBound > file.pieces.count {
        return "instruction \(index) piece indices \(indices) out of order"
      }
      previousPieces = indices.upperBound
      for piece in file.pieces[indices] where !range.contains(piece.range) {
        return "instruction \(index) piece \(piece) outside \(range)"
      }
      var current: Instruction? = instruction
      while let item = current {
        var inner: [SourceRange] = [item.keywordRange, item.argumentsRange]
        inner += item.flags.flatMap { [$0.range, $0.nameRange] + ($0.valueRange.map { [$0] } ?? []) }
        inner += item.valueWords.map(\.range)
        inner += item.heredocs.flatMap { [$0.markerRange, $0.nameRange, $0.bodyRange] + ($0.terminatorRange.map { [$0] } ?? []) }
        for part in inner where !range.contains(part) {
          return "instruction \(index) part \(part) outside \(range)"
        }
        if item.logicalLine.count > 0 && item.arguments.count > 0 {
          let mapped = item.arguments.originalRange(0, item.arguments.count)
          if mapped != item.argumentsRange { return "instruction \(index) arguments map to \(mapped), not \(item.argumentsRange)" }
        }
        current = item.triggerInstruction
      }
    }
    for issue in file.issues where issue.range.end > count {
      return "issue \(issue) ends past the file"
    }
    return nil
  }
}

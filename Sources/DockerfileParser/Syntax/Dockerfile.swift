/// A parsed Dockerfile: a lossless syntax sequence plus BuildKit's reading of it.
///
/// ```swift
/// let file = Dockerfile.parse(SourceFile(path: "Dockerfile", bytes: bytes))
/// for instruction in file.instructions where instruction.kind == .cmd { … }
/// assert(file.printed() == bytes)   // always
/// ```
///
/// Parsing never fails and never traps: malformed input yields the tree that could be built plus
/// `issues`. Time and memory are linear in the input size.
public struct Dockerfile: Sendable {
  /// The file the tree was parsed from.
  public let source: SourceFile
  /// The parser directives at the top of the file, in order.
  public let directives: [Directive]
  /// The escape character: `\` (0x5C) or the backtick (0x60) chosen with `# escape=`.
  public let escapeByte: UInt8
  /// The instructions in order (ONBUILD triggers are nested in their ONBUILD).
  public let instructions: [Instruction]
  /// The build stages, in order.
  public let stages: [Stage]
  /// Indices of the ARG instructions before the first FROM (BuildKit's meta args).
  public let globalArgumentIndices: [Int]
  /// Errors and warnings, in file order.
  public let issues: [ParseIssue]
  /// The lossless sequence: pieces covering every byte of the file exactly once, in order.
  public let pieces: [SyntaxPiece]
  /// True when the file starts with a UTF-8 byte order mark.
  public let hasByteOrderMark: Bool

  init(
    source: SourceFile, directives: [Directive], escapeByte: UInt8, instructions: [Instruction], stages: [Stage],
    globalArgumentIndices: [Int], issues: [ParseIssue], pieces: [SyntaxPiece], hasByteOrderMark: Bool
  ) {
    self.source = source
    self.directives = directives
    self.escapeByte = escapeByte
    self.instructions = instructions
    self.stages = stages
    self.globalArgumentIndices = globalArgumentIndices
    self.issues = issues
    self.pieces = pieces
    self.hasByteOrderMark = hasByteOrderMark
  }

  /// Parses `source` as BuildKit does.
  public static func parse(_ source: SourceFile) -> Dockerfile {
    var parsing = DockerfileParsing(source: source)
    return parsing.run()
  }

  /// Parses `text` (convenience for tests and tools).
  public static func parse(_ text: String, path: String = "Dockerfile") -> Dockerfile {
    parse(SourceFile(path: path, text: text))
  }

  /// A top-level node of the lossless tree.
  public enum Node: Sendable {
    /// A piece BuildKit ignores: BOM, comment, blank line, white space, newline.
    case trivia(SyntaxPiece)
    /// A parser directive line.
    case directive(Directive, SyntaxPiece)
    /// An instruction with all its lines (its pieces are `pieces[instruction.pieceIndices]`).
    case instruction(Instruction)
  }

  /// The top-level nodes in file order: trivia, directives and instructions.
  public var nodes: [Node] {
    var result: [Node] = []
    result.reserveCapacity(instructions.count * 2 + directives.count)
    var index = 0
    var nextInstruction = 0
    var nextDirective = 0
    while index < pieces.count {
      if nextInstruction < instructions.count && instructions[nextInstruction].pieceIndices.lowerBound == index {
        let instruction = instructions[nextInstruction]
        result.append(.instruction(instruction))
        nextInstruction += 1
        if !instruction.pieceIndices.isEmpty { index = instruction.pieceIndices.upperBound }
        continue
      }
      let piece = pieces[index]
      if piece.kind == .directive && nextDirective < directives.count {
        result.append(.directive(directives[nextDirective], piece))
        nextDirective += 1
      } else {
        result.append(.trivia(piece))
      }
      index += 1
    }
    return result
  }

  /// The pieces of one instruction.
  public func pieces(of instruction: Instruction) -> ArraySlice<SyntaxPiece> {
    pieces[instruction.pieceIndices]
  }

  /// Prints the tree: the bytes of every node's pieces in order. Always equal to `source.bytes`.
  public func printed() -> [UInt8] {
    var output: [UInt8] = []
    output.reserveCapacity(source.bytes.count)
    let bytes = source.bytes
    for node in nodes {
      switch node {
      case .trivia(let piece), .directive(_, let piece):
        output.append(contentsOf: bytes[piece.range.range])
      case .instruction(let instruction):
        for piece in pieces[instruction.pieceIndices] {
          output.append(contentsOf: bytes[piece.range.range])
        }
      }
    }
    return output
  }

  /// The bytes of `range` in the source.
  public func bytes(_ range: SourceRange) -> ArraySlice<UInt8> { source.bytes[range.range] }

  /// The text of `range` in the source (invalid UTF-8 repaired).
  public func text(_ range: SourceRange) -> String { source.text(of: range) }

  /// True when BuildKit's parser accepts the file (no parser-layer error).
  public var parserAccepts: Bool {
    !issues.contains { $0.severity == .error && $0.layer == .parser }
  }

  /// True when there is no error at all (`docker build` would get past parsing).
  public var hasErrors: Bool { issues.contains { $0.severity == .error } }

  /// The directive called `name` (lowercase), if present.
  public func directive(named name: String) -> Directive? { directives.first { $0.name == name } }

  /// The stage named `name` (case-insensitive), if any.
  public func stage(named name: String) -> Stage? {
    let lowered = name.lowercased()
    return stages.first { $0.name == lowered }
  }

  /// The stage an instruction index belongs to (nil for global ARGs and anything before the first FROM).
  public func stage(containing instructionIndex: Int) -> Stage? {
    stages.first { $0.instructionIndices.contains(instructionIndex) }
  }

  /// The global ARG instructions (before the first FROM).
  public var globalArguments: [Instruction] { globalArgumentIndices.map { instructions[$0] } }
}

/// One Dockerfile instruction (a logical line: its continuation lines and heredoc bodies included).
///
/// The properties mirror BuildKit's parser node: `kind`/`keyword` (`Node.Value`), `flags`
/// (`Node.Flags`), `value` (the `Next` chain), `isJSON` (`Attributes["json"]`), `heredocs`,
/// `startLine`/`endLine`. Every part also has its byte range in the file. Typed views (`commandForm`,
/// `fromArguments`, `copyArguments`, `keyValuePairs`, `healthcheck`, …) live in extensions.
///
/// An ONBUILD instruction nests its trigger: `triggerInstruction` is the instruction after the keyword
/// (it shares the outer instruction's lines, range and pieces).
public struct Instruction: Sendable {
  let storage: InstructionStorage
  let depth: Int

  init(storage: InstructionStorage, depth: Int = 0) {
    self.storage = storage
    self.depth = depth
  }

  var level: InstructionLevel {
    _read {
      if depth == 0 {
        yield storage.firstLevel
      } else {
        yield storage.triggerLevels[depth - 1]
      }
    }
  }

  /// The instruction kind (case-insensitive keyword match).
  public var kind: InstructionKind { level.kind }

  /// The keyword as written (`run`, `Run`, `RUN`).
  public var keyword: String { String(decoding: storage.line.bytes[level.keywordLogical], as: UTF8.self) }

  /// The keyword's bytes as written.
  public var keywordBytes: [UInt8] { Array(storage.line.bytes[level.keywordLogical]) }

  /// The keyword's range.
  public var keywordRange: SourceRange { storage.original(level.keywordLogical) }

  /// The whole instruction: from its first non-blank byte to the end of its last line (continuation
  /// lines, comment lines inside them and heredoc bodies and terminators included; the final newline
  /// excluded).
  public var range: SourceRange { storage.range }

  /// The 1-based line the instruction starts on (BuildKit `StartLine`).
  public var startLine: Int { storage.startLine }

  /// The 1-based last line the instruction consumed, heredoc terminators and comment or empty lines
  /// inside a continuation included (BuildKit `EndLine`).
  public var endLine: Int { storage.endLine }

  /// The flags between the keyword and the arguments.
  public var flags: [Flag] { level.flags.map(storage.flag) }

  /// The first flag called `name` (without `--`).
  public func flag(named name: String) -> Flag? { flags.first(named: name) }

  /// The arguments after the keyword and flags (BuildKit's `rest`), white space trimmed at both ends.
  /// Empty (at the end of the keyword or flags) when there are none.
  public var argumentsRange: SourceRange { storage.original(level.argumentsLogical) }

  /// The arguments as BuildKit sees them: line continuations and the comment and empty lines inside them
  /// removed, mapped byte for byte to the file.
  public var arguments: MappedText { storage.line.slice(level.argumentsLogical) }

  /// The whole logical line (keyword, flags and arguments, continuations removed; BuildKit `Original`).
  public var logicalLine: MappedText { storage.line }

  /// BuildKit's value list (`(run "echo hi")` has `["echo hi"]`; `ENV a=b` has `["a", "b", "="]`).
  public var value: [String] { level.words.map { String(decoding: storage.bytes($0), as: UTF8.self) } }

  /// BuildKit's value list with the range each element was read from.
  public var valueWords: [ArgumentWord] { level.words.map(storage.word) }

  /// The number of elements of `value`.
  public var valueCount: Int { level.words.count }

  /// BuildKit's `json` attribute: the arguments were a valid JSON array of strings (exec form).
  public var isJSON: Bool { level.isJSON }

  /// The trimmed arguments start with `[`: the author probably meant exec form. When `isJSON` is false
  /// the JSON was invalid and BuildKit silently used shell form.
  public var looksLikeJSON: Bool { level.looksLikeJSON }

  /// The here-documents of a RUN, COPY or ADD (or of an ONBUILD whose trigger is one), in order.
  public var heredocs: [Heredoc] { depth <= 1 ? storage.heredocs : [] }

  /// For ONBUILD: the trigger instruction after the keyword (nil for other kinds or a bare ONBUILD).
  public var triggerInstruction: Instruction? {
    depth < storage.triggerLevels.count ? Instruction(storage: storage, depth: depth + 1) : nil
  }

  /// True for the trigger of an ONBUILD (an instruction nested in another).
  public var isTrigger: Bool { depth > 0 }

  /// How deep this instruction is nested in ONBUILDs (0 for a top-level instruction).
  public var nestingDepth: Int { depth }

  /// Indices into `Dockerfile.pieces` of this instruction's pieces (for a trigger, those of the
  /// outermost instruction).
  public var pieceIndices: Range<Int> { storage.pieceIndices }

  /// The escape character in effect (`\` or the backtick).
  public var escapeByte: UInt8 { storage.escape }

  /// The bytes of value element `index` without copying them.
  func valueBytes(_ index: Int) -> ArraySlice<UInt8> { storage.bytes(level.words[index]) }
}

/// The parse of one keyword level of an instruction (ONBUILD adds a level for its trigger). Offsets are
/// logical (into the instruction's logical line).
struct InstructionLevel: Sendable {
  var kind: InstructionKind
  var keywordLogical: Range<Int>
  var flags: [ArgumentParsers.RawWord]
  var argumentsLogical: Range<Int>
  var words: [ArgumentParsers.RawWord]
  var isJSON: Bool
  var looksLikeJSON: Bool
  /// RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK: the logical range of the command text.
  var commandLogical: Range<Int>?
}

/// The shared, immutable storage of one top-level instruction and its ONBUILD triggers.
final class InstructionStorage: Sendable {
  let line: MappedText
  let range: SourceRange
  let startLine: Int
  let endLine: Int
  let heredocs: [Heredoc]
  let pieceIndices: Range<Int>
  let firstLevel: InstructionLevel
  /// ONBUILD triggers, outermost first.
  let triggerLevels: [InstructionLevel]
  let escape: UInt8
  /// BuildKit's parser rejected this instruction's line.
  let hasParserError: Bool

  init(
    line: MappedText, range: SourceRange, startLine: Int, endLine: Int, heredocs: [Heredoc],
    pieceIndices: Range<Int>, firstLevel: InstructionLevel, triggerLevels: [InstructionLevel], escape: UInt8,
    hasParserError: Bool
  ) {
    self.escape = escape
    self.hasParserError = hasParserError
    self.line = line
    self.range = range
    self.startLine = startLine
    self.endLine = endLine
    self.heredocs = heredocs
    self.pieceIndices = pieceIndices
    self.firstLevel = firstLevel
    self.triggerLevels = triggerLevels
  }

  /// Every level, outermost first.
  var levels: [InstructionLevel] { [firstLevel] + triggerLevels }

  /// The file range of logical range `range` of the line.
  func original(_ range: Range<Int>) -> SourceRange {
    if line.segments.isEmpty { return .empty(at: self.range.start) }
    return line.originalRange(range)
  }

  func bytes(_ word: ArgumentParsers.RawWord) -> ArraySlice<UInt8> { word.bytes(line.bytes) }

  func word(_ word: ArgumentParsers.RawWord) -> ArgumentWord {
    ArgumentWord(bytes: Array(bytes(word)), range: original(word.range))
  }

  func flag(_ raw: ArgumentParsers.RawWord) -> Flag {
    let bytes = Array(self.bytes(raw))
    let nameEnd = raw.equalsIndex ?? bytes.count
    let name = String(decoding: bytes[Swift.min(2, nameEnd)..<nameEnd], as: UTF8.self)
    let value = raw.equalsIndex.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self) }
    let nameStart = Swift.min(raw.range.lowerBound + 2, raw.range.upperBound)
    let nameEndOffset = Swift.max(nameStart, raw.equalsOffset ?? raw.range.upperBound)
    let valueRange = raw.equalsOffset.map { offset -> SourceRange in
      let range = original((offset + 1)..<Swift.max(offset + 1, raw.range.upperBound))
      return range.isEmpty ? .empty(at: original(offset..<(offset + 1)).end) : range
    }
    return Flag(
      bytes: bytes, name: name, value: value, range: original(raw.range), nameRange: original(nameStart..<nameEndOffset),
      valueRange: valueRange)
  }
}

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
  let arena: InstructionArena
  let index: Int
  let depth: Int

  init(arena: InstructionArena, index: Int, depth: Int = 0) {
    self.arena = arena
    self.index = index
    self.depth = depth
  }

  var record: InstructionRecord {
    _read { yield arena.records[index] }
  }

  var level: InstructionLevel {
    _read { yield arena.levels[arena.records[index].levels.lowerBound + depth] }
  }

  /// The bytes of the logical line.
  var lineBytes: ArraySlice<UInt8> { arena.logicalBytes[record.bytes] }

  /// The instruction kind (case-insensitive keyword match).
  public var kind: InstructionKind { level.kind }

  /// The keyword as written (`run`, `Run`, `RUN`).
  public var keyword: String { String(decoding: logicalBytes(level.keywordLogical), as: UTF8.self) }

  /// The keyword's bytes as written.
  public var keywordBytes: [UInt8] { Array(logicalBytes(level.keywordLogical)) }

  /// The keyword's range.
  public var keywordRange: SourceRange { original(level.keywordLogical) }

  /// The whole instruction: from its first non-blank byte to the end of its last line (continuation
  /// lines, comment lines inside them and heredoc bodies and terminators included; the final newline
  /// excluded).
  public var range: SourceRange { record.range }

  /// The 1-based line the instruction starts on (BuildKit `StartLine`).
  public var startLine: Int { record.startLine }

  /// The 1-based last line the instruction consumed, heredoc terminators and comment or empty lines
  /// inside a continuation included (BuildKit `EndLine`).
  public var endLine: Int { record.endLine }

  /// The flags between the keyword and the arguments.
  public var flags: [Flag] { rawFlags.map(flag) }

  /// The first flag called `name` (without `--`).
  public func flag(named name: String) -> Flag? { flags.first(named: name) }

  /// The arguments after the keyword and flags (BuildKit's `rest`), white space trimmed at both ends.
  /// Empty (at the end of the keyword or flags) when there are none.
  public var argumentsRange: SourceRange { original(level.argumentsLogical) }

  /// The arguments as BuildKit sees them: line continuations and the comment and empty lines inside them
  /// removed, mapped byte for byte to the file.
  public var arguments: MappedText { logicalLine.slice(level.argumentsLogical) }

  /// The whole logical line (keyword, flags and arguments, continuations removed; BuildKit `Original`).
  public var logicalLine: MappedText {
    MappedText(bytes: Array(lineBytes), segments: Array(arena.segments[record.segments]))
  }

  /// BuildKit's value list (`(run "echo hi")` has `["echo hi"]`; `ENV a=b` has `["a", "b", "="]`).
  public var value: [String] { rawWords.map { String(decoding: bytes($0), as: UTF8.self) } }

  /// BuildKit's value list with the range each element was read from.
  public var valueWords: [ArgumentWord] { rawWords.map { ArgumentWord(bytes: Array(bytes($0)), range: original($0.range)) } }

  /// The number of elements of `value`.
  public var valueCount: Int { level.words.count }

  /// BuildKit's `json` attribute: the arguments were a valid JSON array of strings (exec form).
  public var isJSON: Bool { level.isJSON }

  /// The trimmed arguments start with `[`: the author probably meant exec form. When `isJSON` is false
  /// the JSON was invalid and BuildKit silently used shell form.
  public var looksLikeJSON: Bool { level.looksLikeJSON }

  /// The here-documents of a RUN, COPY or ADD (or of an ONBUILD whose trigger is one), in order.
  public var heredocs: [Heredoc] { depth <= 1 ? record.heredocs : [] }

  /// For ONBUILD: the trigger instruction after the keyword (nil for other kinds or a bare ONBUILD).
  public var triggerInstruction: Instruction? {
    depth + 1 < record.levels.count ? Instruction(arena: arena, index: index, depth: depth + 1) : nil
  }

  /// True for the trigger of an ONBUILD (an instruction nested in another).
  public var isTrigger: Bool { depth > 0 }

  /// How deep this instruction is nested in ONBUILDs (0 for a top-level instruction).
  public var nestingDepth: Int { depth }

  /// Indices into `Dockerfile.pieces` of this instruction's pieces (for a trigger, those of the
  /// outermost instruction).
  public var pieceIndices: Range<Int> { record.pieceIndices }

  /// The escape character in effect (`\` or the backtick).
  public var escapeByte: UInt8 { record.escape }

  // MARK: Internal access to the stored parse

  /// BuildKit's value elements as stored (logical ranges).
  var rawWords: ArraySlice<ArgumentParsers.RawWord> { arena.words[level.words] }

  /// The flags as stored.
  var rawFlags: ArraySlice<ArgumentParsers.RawWord> { arena.flags[level.flags] }

  /// The bytes of value element `index` without copying them.
  func valueBytes(_ index: Int) -> ArraySlice<UInt8> { bytes(arena.words[level.words.lowerBound + index]) }

  /// Logical bytes `range` of the line.
  func logicalBytes(_ range: Range<Int>) -> ArraySlice<UInt8> {
    let base = record.bytes.lowerBound
    return arena.logicalBytes[(base + range.lowerBound)..<(base + range.upperBound)]
  }

  /// The bytes of a stored word or flag.
  func bytes(_ word: ArgumentParsers.RawWord) -> ArraySlice<UInt8> {
    if let decoded = word.decoded { return decoded[...] }
    return logicalBytes(word.content)
  }

  /// The file range of logical range `range` of the line.
  func original(_ range: Range<Int>) -> SourceRange {
    let segments = arena.segments[record.segments]
    if segments.isEmpty { return .empty(at: record.range.start) }
    return MappedText.originalRange(segments, range.lowerBound, range.upperBound)
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

/// The parse of one keyword level of an instruction (ONBUILD adds a level for its trigger). Offsets are
/// logical (into the instruction's logical line); `words` and `flags` index the arena's arrays.
struct InstructionLevel: Sendable {
  var kind: InstructionKind
  var keywordLogical: Range<Int>
  var flags: Range<Int>
  var argumentsLogical: Range<Int>
  var words: Range<Int>
  var isJSON: Bool
  var looksLikeJSON: Bool
  /// RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK: the logical range of the command text.
  var commandLogical: Range<Int>?
}

/// What is stored for one top-level instruction.
struct InstructionRecord: Sendable {
  /// The logical line in `InstructionArena.logicalBytes`.
  var bytes: Range<Int>
  /// Its map to the file in `InstructionArena.segments` (logical starts relative to the line).
  var segments: Range<Int>
  /// Its levels in `InstructionArena.levels` (the instruction, then ONBUILD triggers).
  var levels: Range<Int>
  var range: SourceRange
  var startLine: Int
  var endLine: Int
  var heredocs: [Heredoc]
  var pieceIndices: Range<Int>
  var escape: UInt8
  /// BuildKit's parser rejected this instruction's line.
  var hasParserError: Bool
}

/// The storage of every instruction of one file, shared by all `Instruction` values: a handful of
/// arrays instead of several allocations per instruction.
final class InstructionArena: Sendable {
  let logicalBytes: [UInt8]
  let segments: [MappedText.Segment]
  let words: [ArgumentParsers.RawWord]
  let flags: [ArgumentParsers.RawWord]
  let levels: [InstructionLevel]
  let records: [InstructionRecord]

  init(_ builder: Builder) {
    logicalBytes = builder.logicalBytes
    segments = builder.segments
    words = builder.words
    flags = builder.flags
    levels = builder.levels
    records = builder.records
  }

  /// The arrays while parsing.
  struct Builder {
    var logicalBytes: [UInt8] = []
    var segments: [MappedText.Segment] = []
    var words: [ArgumentParsers.RawWord] = []
    var flags: [ArgumentParsers.RawWord] = []
    var levels: [InstructionLevel] = []
    var records: [InstructionRecord] = []
    /// Reused scratch space for ENV/LABEL words.
    var scratch: [ArgumentParsers.RawWord] = []
  }
}

import DockerfileParser

/// One change a fix makes, stated in the syntax the fix understands. The changes several fixes make to
/// one node (the words of one command, the lines inserted at one place, the keys of one supervisord
/// section) are merged and rendered once by `EditMerger`; plain text edits are for what has no structure.
public enum FixEdit: Sendable, Hashable {
  /// Bytes replaced where no structure applies.
  case text(TextEdit)
  /// A change to the words of one command: an ENTRYPOINT/CMD, a command of a script, a `command=` value.
  case argv(ArgvEdit)
  /// Whole lines inserted at a line start (instructions before an instruction, keys after a line).
  case lines(LineInsertion)
  /// A key set in a supervisord section (its value replaced, or the key added at the section's end).
  case sectionKey(SectionKeyEdit)

  public var path: String {
    switch self {
    case .text(let edit): edit.path
    case .argv(let edit): edit.path
    case .lines(let edit): edit.path
    case .sectionKey(let edit): edit.path
    }
  }

  /// The edit as bytes, when it is the only change to its node (what reporters show for one finding).
  public var standalone: [TextEdit] {
    switch self {
    case .text(let edit): [edit]
    case .argv(let edit): ArgvEdit.render([edit], bytes: nil).map { [$0] } ?? []
    case .lines(let edit): [TextEdit.insert(edit.text, at: edit.offset, in: edit.path)]
    case .sectionKey(let edit): SectionKeyEdit.render([edit]) ?? []
    }
  }
}

/// A change to the words of one command. Words are named by their range in the file, so changes made by
/// different rules to the same command (exec form written by one, `-n` added by another) meet on the
/// same words and are rendered together.
public struct ArgvEdit: Sendable, Hashable {
  /// A word of the command as it is now: its literal value and where it is written.
  public struct Word: Sendable, Hashable {
    public var value: String
    public var range: SourceRange
    public init(value: String, range: SourceRange) {
      self.value = value
      self.range = range
    }
  }

  public enum Change: Sendable, Hashable {
    /// New words right after the word at `word`.
    case insertAfter(word: SourceRange, words: [String])
    /// New words right before the word at `word`; the first is quoted as a command name when `commandName`.
    case insertBefore(word: SourceRange, words: [String], commandName: Bool)
    /// The word at `word` replaced by `value`.
    case replace(word: SourceRange, value: String, commandName: Bool)
    /// The word at `word` removed, with the separator `span` covers.
    case remove(word: SourceRange, span: SourceRange)
    /// `exec ` written before the command whose first word starts at `offset` (shell form only).
    case execPrefix(offset: Int)
    /// The command (`span`: the whole argument text of the instruction) written as an exec-form JSON
    /// array of `words`, after the other changes to those words.
    case execForm(span: SourceRange, words: [Word])
    /// The whole argument text `span` replaced by an exec-form array of `argv` (no other change can join).
    case replaceAll(span: SourceRange, argv: [String])
  }

  public var path: String
  /// Whether the words are exec-form JSON elements (new words are written as JSON strings).
  public var json: Bool
  public var change: Change

  public init(path: String, json: Bool, change: Change) {
    self.path = path
    self.json = json
    self.change = change
  }

  /// The bytes the change covers or touches; changes whose extents meet belong to the same node.
  public var extent: SourceRange {
    switch change {
    case .insertAfter(let word, _): word
    case .insertBefore(let word, _, _): word
    case .replace(let word, _, _): word
    case .remove(let word, let span): SourceRange(start: min(word.start, span.start), end: max(word.end, span.end))
    case .execPrefix(let offset): .empty(at: offset)
    case .execForm(let span, _): span
    case .replaceAll(let span, _): span
    }
  }

  /// The merged rendering of `edits` (one path, one node): a single replacement of the bytes their
  /// extents cover, or nil when they contradict each other (two values for one word, exec form with a
  /// change it cannot express). `bytes` is the file (nil when rendering one edit alone: its extent is
  /// then the only text needed, which exec form and insertions never read).
  static func render(_ edits: [ArgvEdit], bytes: [UInt8]?) -> TextEdit? {
    guard let first = edits.first else { return nil }
    let unique = edits.reduce(into: [ArgvEdit]()) { if !$0.contains($1) { $0.append($1) } }
    let start = unique.map(\.extent.start).min()!
    let end = unique.map(\.extent.end).max()!
    let extent = SourceRange(start: start, end: end)
    if case .replaceAll(let span, let argv) = first.change {
      guard unique.count == 1 else { return nil }
      return TextEdit(path: first.path, range: span, replacement: Array(Edits.jsonArray(argv).utf8))
    }
    if unique.contains(where: { if case .replaceAll = $0.change { true } else { false } }) { return nil }
    var forms: [(span: SourceRange, words: [Word])] = []
    for edit in unique { if case .execForm(let span, let words) = edit.change { forms.append((span, words)) } }
    if let form = forms.first {
      // Every exec-form change must agree, and every other change must name one of its words.
      guard forms.allSatisfy({ $0.span == form.span && $0.words == form.words }) else { return nil }
      guard extent == form.span else { return nil }
      var before: [SourceRange: [String]] = [:]
      var after: [SourceRange: [String]] = [:]
      var replaced: [SourceRange: String] = [:]
      var removed: Set<SourceRange> = []
      let ranges = Set(form.words.map(\.range))
      for edit in unique {
        switch edit.change {
        case .execForm: continue
        case .execPrefix, .replaceAll: return nil
        case .insertAfter(let word, let words):
          guard ranges.contains(word) else { return nil }
          after[word, default: []] += words
        case .insertBefore(let word, let words, _):
          guard ranges.contains(word) else { return nil }
          before[word, default: []] += words
        case .replace(let word, let value, _):
          guard ranges.contains(word), replaced[word] == nil || replaced[word] == value, !removed.contains(word) else { return nil }
          replaced[word] = value
        case .remove(let word, _):
          guard ranges.contains(word), replaced[word] == nil else { return nil }
          removed.insert(word)
        }
      }
      var argv: [String] = []
      for word in form.words {
        argv += before[word.range] ?? []
        if !removed.contains(word.range) { argv.append(replaced[word.range] ?? word.value) }
        argv += after[word.range] ?? []
      }
      guard !argv.isEmpty else { return nil }
      return TextEdit(path: first.path, range: extent, replacement: Array(Edits.jsonArray(argv).utf8))
    }
    // Word-level edits, exactly as the plain text edits of `Edits` write them.
    var pieces: [TextEdit] = []
    var prefixes: Set<Int> = []
    var replacedWords: [SourceRange: String] = [:]
    var removedWords: Set<SourceRange> = []
    for edit in unique {
      let path = edit.path
      switch edit.change {
      case .execForm, .replaceAll: continue
      case .execPrefix(let offset):
        guard prefixes.insert(offset).inserted else { continue }
        pieces.append(TextEdit.insert("exec ", at: offset, in: path))
      case .insertAfter(let word, let words):
        let text = words.map { (edit.json ? ", " : " ") + Edits.word($0, json: edit.json) }.joined()
        pieces.append(TextEdit.insert(text, at: word.end, in: path))
      case .insertBefore(let word, let words, let commandName):
        let text = words.enumerated().map {
          Edits.word($0.element, json: edit.json, isCommandName: commandName && $0.offset == 0) + (edit.json ? ", " : " ")
        }.joined()
        pieces.append(TextEdit.insert(text, at: word.start, in: path))
      case .replace(let word, let value, let commandName):
        guard replacedWords[word] == nil || replacedWords[word] == value, !removedWords.contains(word) else { return nil }
        if replacedWords[word] != nil { continue }
        replacedWords[word] = value
        pieces.append(TextEdit.replace(word, with: Edits.word(value, json: edit.json, isCommandName: commandName), in: path))
      case .remove(let word, let span):
        guard replacedWords[word] == nil else { return nil }
        guard removedWords.insert(word).inserted else { continue }
        pieces.append(TextEdit.remove(span, in: path))
      }
    }
    // Replacements and removals must not overlap one another.
    let spans = pieces.filter { !$0.range.isEmpty }
    for (index, a) in spans.enumerated() {
      for b in spans[..<index] where a.range.start < b.range.end && b.range.start < a.range.end { return nil }
    }
    // An insertion strictly inside a replaced word has no meaning.
    for insertion in pieces where insertion.range.isEmpty {
      if spans.contains(where: { insertion.range.start > $0.range.start && insertion.range.start < $0.range.end }) { return nil }
    }
    // The `exec` keyword goes before any word inserted at the same point (`exec tini -- app`).
    let isPrefix = { (edit: TextEdit) in edit.range.isEmpty && edit.replacement == Array("exec ".utf8) && prefixes.contains(edit.range.start) }
    let ordered = pieces.filter(isPrefix) + pieces.filter { !isPrefix($0) }
    if pieces.count == 1 { return pieces[0] }
    guard let bytes, end <= bytes.count else { return nil }
    let shifted = ordered.map { TextEdit(path: $0.path, range: SourceRange(start: $0.range.start - start, end: $0.range.end - start), replacement: $0.replacement) }
    return TextEdit(path: first.path, range: extent, replacement: EditApplier.splice(Array(bytes[start..<end]), shifted))
  }
}

/// Whole lines inserted at the start of a line (or at the end of the file). Several fixes inserting at
/// the same place are rendered as one insertion, in the order the fixes were accepted.
public struct LineInsertion: Sendable, Hashable {
  public var path: String
  public var offset: Int
  /// The lines, each with its newline.
  public var text: String

  public init(path: String, offset: Int, text: String) {
    self.path = path
    self.offset = offset
    self.text = text
  }

  static func render(_ insertions: [LineInsertion]) -> TextEdit? {
    guard let first = insertions.first else { return nil }
    var texts: [String] = []
    for insertion in insertions where !texts.contains(insertion.text) { texts.append(insertion.text) }
    // Only an insertion at the very end of a file without a final newline carries a leading newline;
    // merged after another, it keeps it.
    return TextEdit.insert(texts.joined(), at: first.offset, in: first.path)
  }
}

/// A key of one supervisord section given a value: the existing value replaced, or `key=value` added as
/// a new line after the section's last line.
public struct SectionKeyEdit: Sendable, Hashable {
  public var path: String
  /// Where the section's content ends (before the newline of its last line): new keys go here.
  public var sectionEnd: Int
  public var key: String
  public var value: String
  /// The range of the key's current value, when the key is there.
  public var existingValue: SourceRange?
  public var newline: String

  public init(path: String, sectionEnd: Int, key: String, value: String, existingValue: SourceRange?, newline: String) {
    self.path = path
    self.sectionEnd = sectionEnd
    self.key = key
    self.value = value
    self.existingValue = existingValue
    self.newline = newline
  }

  /// The edits for every key set in one section, or nil when two fixes want different values for one key.
  static func render(_ edits: [SectionKeyEdit]) -> [TextEdit]? {
    guard let first = edits.first else { return [] }
    var values: [String: String] = [:]
    var order: [SectionKeyEdit] = []
    for edit in edits {
      if let value = values[edit.key] {
        if value != edit.value { return nil }
        continue
      }
      values[edit.key] = edit.value
      order.append(edit)
    }
    var result = order.compactMap { edit in edit.existingValue.map { TextEdit.replace($0, with: edit.value, in: edit.path) } }
    let added = order.filter { $0.existingValue == nil }.map { $0.newline + $0.key + "=" + $0.value }.joined()
    if !added.isEmpty { result.append(TextEdit.insert(added, at: first.sectionEnd, in: first.path)) }
    return result
  }
}

extension FixEdit {
  /// `words` added right after the word at `location`.
  public static func insertWords(_ words: [String], after location: FileRange, json: Bool) -> FixEdit {
    .argv(ArgvEdit(path: location.file.path, json: json, change: .insertAfter(word: location.range, words: words)))
  }

  /// `words` added right before the word at `location`.
  public static func insertWords(_ words: [String], before location: FileRange, json: Bool, firstIsCommandName: Bool = false) -> FixEdit {
    .argv(ArgvEdit(path: location.file.path, json: json, change: .insertBefore(word: location.range, words: words, commandName: firstIsCommandName)))
  }

  /// The word at `location` replaced by `value`.
  public static func replaceWord(_ location: FileRange, with value: String, json: Bool, isCommandName: Bool = false) -> FixEdit {
    .argv(ArgvEdit(path: location.file.path, json: json, change: .replace(word: location.range, value: value, commandName: isCommandName)))
  }

  /// The word at `location` removed with its separator.
  public static func removeWord(_ location: FileRange, json: Bool) -> FixEdit {
    let span = Edits.remove(location, json: json).range
    return .argv(ArgvEdit(path: location.file.path, json: json, change: .remove(word: location.range, span: span)))
  }

  /// `exec ` before the command that starts at `point`.
  public static func execPrefix(at point: FileRange) -> FixEdit {
    .argv(ArgvEdit(path: point.file.path, json: false, change: .execPrefix(offset: point.range.start)))
  }

  /// The instruction arguments at `arguments` written as exec form: the words (values and where each is
  /// written now), after any other change to them.
  public static func execForm(_ arguments: FileRange, words: [(value: String, location: FileRange)]) -> FixEdit {
    .argv(ArgvEdit(
      path: arguments.file.path, json: false,
      change: .execForm(span: arguments.range, words: words.map { ArgvEdit.Word(value: $0.value, range: $0.location.range) })))
  }

  /// The instruction arguments at `arguments` replaced by the exec-form array `argv`.
  public static func replaceArguments(_ arguments: FileRange, with argv: [String]) -> FixEdit {
    .argv(ArgvEdit(path: arguments.file.path, json: true, change: .replaceAll(span: arguments.range, argv: argv)))
  }

  /// A whole line inserted before the line holding `location`.
  public static func insertLine(_ text: String, before location: FileRange) -> FixEdit {
    let edit = Edits.insertLine(text, before: location)
    return .lines(LineInsertion(path: edit.path, offset: edit.range.start, text: String(decoding: edit.replacement, as: UTF8.self)))
  }

  /// A whole line inserted after the line (or lines) of `location`.
  public static func insertLine(_ text: String, after location: FileRange) -> FixEdit {
    let edit = Edits.insertLine(text, after: location)
    return .lines(LineInsertion(path: edit.path, offset: edit.range.start, text: String(decoding: edit.replacement, as: UTF8.self)))
  }

  /// `key=value` in a supervisord section: the value replaced when the key is there, else a new line
  /// after the section's last line.
  public static func setKey(_ key: String, to value: String, in section: SupervisordConfig.Section) -> FixEdit {
    let anchor = section.endOfSection
    return .sectionKey(SectionKeyEdit(
      path: anchor.file.path, sectionEnd: anchor.range.start, key: key, value: value,
      existingValue: section.entry(key)?.valueLocation.range, newline: Edits.newline(of: anchor.file)))
  }

  /// The changes that turn `command`'s literal argv into `target`, word by word (see `Edits.transform`).
  public static func transform(_ command: CommandReference, to target: [String]) -> [FixEdit]? {
    guard let edits = Edits.transformSteps(command, to: target) else { return nil }
    let json = command.wordsAreJSON
    return edits.map { step in
      switch step {
      case .insertBefore(let location, let words, let commandName): .insertWords(words, before: location, json: json, firstIsCommandName: commandName)
      case .insertAfter(let location, let words): .insertWords(words, after: location, json: json)
      case .replace(let location, let value, let commandName): .replaceWord(location, with: value, json: json, isCommandName: commandName)
      case .remove(let location): .removeWord(location, json: json)
      }
    }
  }
}

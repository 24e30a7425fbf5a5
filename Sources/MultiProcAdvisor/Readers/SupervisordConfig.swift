import DockerfileParser

/// A supervisord configuration as supervisord itself reads it: INI sections merged across the main file
/// and its `[include] files=` globs, keys lower-cased, multi-line values, inline `;`/`#` comments after
/// whitespace, and `%(ENV_X)s`-style expansions.
public struct SupervisordConfig: Sendable {
  /// One `key = value` (or `key: value`) line, with its continuation lines.
  public struct Entry: Sendable {
    public var key: String
    /// The value with continuation lines joined by newlines and inline comments removed.
    public var value: String
    public var keyLocation: FileRange
    /// The value's span in its file (from the first to the last value byte, continuations included).
    public var valueLocation: FileRange
    /// The whole line(s) of the entry, from the key to the end of the value.
    public var location: FileRange
    /// The value's text on each of its lines (inline comments removed; empty lines and comment lines
    /// between continuations left out), in file order.
    public var valueLines: [SourceRange] = []

    /// The value as supervisord's `shlex` split reads it: continuation lines joined with single spaces
    /// (a newline is whitespace to `shlex`), every byte mapped back to the file. Comment lines between
    /// continuations are not part of it.
    public var joinedValue: MappedText {
      var text = MappedText()
      let bytes = valueLocation.file.bytes
      for (index, line) in valueLines.enumerated() {
        if index > 0 {
          let previous = valueLines[index - 1]
          text.appendDecoded([0x20], originalStart: previous.end, originalLength: Swift.max(0, line.start - previous.end))
        }
        text.appendVerbatim(bytes[line.start..<line.end], originalStart: line.start)
      }
      return text
    }
  }

  /// A `[name]` section; `entries` holds the last value of each key across every file that defines it.
  public struct Section: Sendable {
    public var name: String
    public var headerLocation: FileRange
    /// Where new entries can be inserted: the end of the section's last line in the file that declared it.
    public var endOfSection: FileRange
    public var entries: [Entry]

    public func entry(_ key: String) -> Entry? { entries.last { $0.key == key } }
    public func value(_ key: String) -> String? { entry(key)?.value }
  }

  /// A problem reading the configuration (an include cycle, an unreadable include, a malformed line).
  public struct Issue: Sendable {
    public var message: String
    public var location: FileRange?
  }

  /// Every file read, the main one first.
  public internal(set) var files: [SourceFile] = []
  public internal(set) var sections: [Section] = []
  public internal(set) var issues: [Issue] = []

  public func section(_ name: String) -> Section? { sections.first { $0.name == name } }

  /// `[supervisord]`.
  public var supervisord: Section? { section("supervisord") }

  /// Whether `[supervisord] nodaemon` is true (supervisord's boolean spellings).
  public var nodaemon: Bool { supervisord?.value("nodaemon").flatMap(Self.boolean) ?? false }

  /// `[program:x]` sections.
  public var programs: [Section] { sections.filter { $0.name.hasPrefix("program:") } }
  /// `[eventlistener:x]` sections.
  public var eventListeners: [Section] { sections.filter { $0.name.hasPrefix("eventlistener:") } }

  /// supervisord's boolean parsing (`true/yes/on/1`, `false/no/off/0`).
  public static func boolean(_ text: String) -> Bool? {
    switch text.lowercased().trimmed(in: " \t") {
    case "true", "yes", "on", "1": true
    case "false", "no", "off", "0": false
    default: nil
    }
  }

  /// Reads `main` and everything it includes. `file(path)` returns a file of the image by absolute path;
  /// `list(pattern)` lists image paths matching an absolute glob. `environment` feeds `%(ENV_X)s`.
  public static func read(
    main: SourceFile, mainPath: String, environment: [String: String] = [:],
    file: (String) -> SourceFile?, list: (GlobPattern) -> [String]
  ) -> SupervisordConfig {
    var config = SupervisordConfig()
    var pending: [(SourceFile, String)] = [(main, mainPath)]
    var seen: Set<String> = [normalize(mainPath)]
    let base = directory(of: mainPath)
    var index = 0
    while index < pending.count {
      let (source, _) = pending[index]
      index += 1
      config.files.append(source)
      let includeStart = config.sections.count
      config.parse(source)
      // supervisord resolves relative include globs against the main configuration file's directory.
      for section in config.sections[includeStart...] where section.name == "include" {
        guard let files = section.value("files") else { continue }
        let expanded = expand(files, environment: environment, here: base)
        for pattern in expanded.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }) {
          let absolute = pattern.hasPrefix("/") ? String(pattern) : base + "/" + pattern
          let matches = list(GlobPattern(absolute)).sorted()
          for path in matches {
            let key = normalize(path)
            if seen.contains(key) {
              config.issues.append(Issue(message: "\(path) is included more than once; the repeat is skipped", location: section.entry("files")?.valueLocation))
              continue
            }
            seen.insert(key)
            if let included = file(path) {
              pending.append((included, path))
            } else {
              config.issues.append(Issue(message: "cannot read included file \(path)", location: section.entry("files")?.valueLocation))
            }
          }
        }
      }
    }
    config.mergeSections()
    config.expandValues(environment: environment, here: base)
    return config
  }

  /// The entry being read: its key, value pieces and ranges.
  struct PendingEntry {
    var key: String
    var keyRange: SourceRange
    var indent: Int
    var values: [String]
    var valueStart: Int
    var valueEnd: Int
    var start: Int
    /// Each value line's content range (empty for blank lines).
    var lines: [SourceRange]
  }

  /// Parses one file's sections and appends them (unmerged).
  mutating func parse(_ file: SourceFile) {
    let bytes = file.bytes
    var current: Section? = nil
    var lineIndex = 0
    let lineCount = file.lineStarts.count
    var pendingKey: PendingEntry? = nil

    func flushEntry(_ section: inout Section?, _ pendingKey: inout PendingEntry?) {
      guard let entry = pendingKey, section != nil else {
        pendingKey = nil
        return
      }
      // Trailing empty continuation lines are not part of the value.
      var values = entry.values
      while let last = values.last, last.isEmpty, values.count > 1 { values.removeLast() }
      let valueRange = SourceRange(start: entry.valueStart, end: Swift.max(entry.valueStart, entry.valueEnd))
      section!.entries.append(
        Entry(
          key: entry.key, value: values.joined(separator: "\n"),
          keyLocation: FileRange(file: file, range: entry.keyRange),
          valueLocation: FileRange(file: file, range: valueRange),
          location: FileRange(file: file, range: SourceRange(start: entry.start, end: Swift.max(entry.start, entry.valueEnd))),
          valueLines: entry.lines.filter { !$0.isEmpty }))
      pendingKey = nil
    }

    while lineIndex < lineCount {
      let range = file.lineRange(lineIndex + 1)
      lineIndex += 1
      let line = Array(bytes[range.start..<range.end])
      var indent = 0
      while indent < line.count, line[indent] == 0x20 || line[indent] == 0x09 { indent += 1 }
      let isBlank = indent == line.count
      let first = indent < line.count ? line[indent] : 0
      let isComment = first == UInt8(ascii: "#") || first == UInt8(ascii: ";")

      // Continuation of a multi-line value: indented more than the key, inside an entry.
      if pendingKey != nil, indent > pendingKey!.indent, !isBlank, !isComment {
        let (text, contentEnd) = Self.stripInlineComment(line, from: indent)
        pendingKey!.values.append(text)
        pendingKey!.lines.append(SourceRange(start: range.start + indent, end: range.start + Swift.max(indent, contentEnd)))
        if contentEnd > indent { pendingKey!.valueEnd = range.start + contentEnd }
        if pendingKey!.values.count == 2, pendingKey!.values[0].isEmpty { pendingKey!.valueStart = range.start + indent }
        continue
      }
      if isBlank {
        if pendingKey != nil { pendingKey!.values.append("") }
        continue
      }
      if isComment { continue }
      flushEntry(&current, &pendingKey)

      if first == UInt8(ascii: "[") {
        if let close = line.lastIndex(of: UInt8(ascii: "]")), close > indent {
          if var finished = current {
            finished.endOfSection = FileRange(file: file, range: .empty(at: lastContentEnd(file, before: range.start)))
            sections.append(finished)
          }
          let name = String(decoding: line[(indent + 1)..<close], as: UTF8.self).trimmed(in: " \t")
          let header = FileRange(file: file, range: SourceRange(start: range.start + indent, end: range.start + close + 1))
          current = Section(name: name, headerLocation: header, endOfSection: FileRange(file: file, range: .empty(at: range.end)), entries: [])
        } else {
          issues.append(Issue(message: "section header without closing ']'", location: FileRange(file: file, range: range)))
        }
        continue
      }
      // key = value / key: value
      guard current != nil else {
        issues.append(Issue(message: "entry outside of any section", location: FileRange(file: file, range: range)))
        continue
      }
      var delimiter = indent
      while delimiter < line.count, line[delimiter] != UInt8(ascii: "="), line[delimiter] != UInt8(ascii: ":") { delimiter += 1 }
      var keyEnd = delimiter
      while keyEnd > indent, line[keyEnd - 1] == 0x20 || line[keyEnd - 1] == 0x09 { keyEnd -= 1 }
      let key = String(decoding: line[indent..<keyEnd], as: UTF8.self).lowercased()
      var valueStart = Swift.min(delimiter + 1, line.count)
      while valueStart < line.count, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
      let (text, contentEnd) = delimiter < line.count ? Self.stripInlineComment(line, from: valueStart) : ("", valueStart)
      pendingKey = PendingEntry(
        key: key, keyRange: SourceRange(start: range.start + indent, end: range.start + keyEnd), indent: indent,
        values: [text], valueStart: range.start + valueStart, valueEnd: range.start + Swift.max(valueStart, contentEnd),
        start: range.start + indent,
        lines: [SourceRange(start: range.start + valueStart, end: range.start + Swift.max(valueStart, contentEnd))]
      )
    }
    flushEntry(&current, &pendingKey)
    if var finished = current {
      finished.endOfSection = FileRange(file: file, range: .empty(at: lastContentEnd(file, before: bytes.count)))
      sections.append(finished)
    }
  }

  /// The end offset of the last non-blank, non-comment line before `offset` (where a new key can go).
  private func lastContentEnd(_ file: SourceFile, before offset: Int) -> Int {
    var line = file.lineIndex(of: Swift.max(0, offset - 1)) + 1
    while line >= 1 {
      let range = file.lineRange(line)
      let text = file.text(of: range).trimmed(in: " \t")
      if !text.isEmpty && !text.hasPrefix("#") && !text.hasPrefix(";") && range.end <= offset { return range.end }
      line -= 1
    }
    return offset
  }

  /// Removes an inline comment (`;` or `#` preceded by whitespace) and trailing whitespace; returns the
  /// text and the end offset of the content within `line`.
  static func stripInlineComment(_ line: [UInt8], from start: Int) -> (String, Int) {
    var end = line.count
    var index = start
    while index < line.count {
      let byte = line[index]
      if (byte == UInt8(ascii: ";") || byte == UInt8(ascii: "#")), index > start,
        line[index - 1] == 0x20 || line[index - 1] == 0x09
      {
        end = index
        break
      }
      index += 1
    }
    while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
    return (String(decoding: line[start..<Swift.max(start, end)], as: UTF8.self), Swift.max(start, end))
  }

  /// Merges sections of the same name (configparser with `strict=False`): later keys override.
  mutating func mergeSections() {
    var merged: [Section] = []
    var index: [String: Int] = [:]
    for section in sections {
      if let existing = index[section.name] {
        for entry in section.entries {
          merged[existing].entries.removeAll { $0.key == entry.key }
          merged[existing].entries.append(entry)
        }
      } else {
        index[section.name] = merged.count
        merged.append(section)
      }
    }
    sections = merged
  }

  /// Applies supervisord's `%(name)s` expansions to every value.
  mutating func expandValues(environment: [String: String], here: String) {
    for sectionIndex in sections.indices {
      let name = sections[sectionIndex].name
      var programName: String? = nil
      if let colon = name.firstIndex(of: ":") { programName = String(name[name.index(after: colon)...]) }
      for entryIndex in sections[sectionIndex].entries.indices {
        let value = sections[sectionIndex].entries[entryIndex].value
        guard value.contains("%(") else { continue }
        sections[sectionIndex].entries[entryIndex].value = Self.expand(value, environment: environment, here: here, programName: programName)
      }
    }
  }

  /// Expands `%(ENV_X)s`, `%(here)s`, `%(program_name)s`, `%(process_num)d` (as 0) and `%%`.
  /// Unknown names are left as written.
  static func expand(_ text: String, environment: [String: String], here: String, programName: String? = nil) -> String {
    var result = ""
    var rest = Substring(text)
    while let percent = rest.firstIndex(of: "%") {
      result += rest[..<percent]
      let after = rest[rest.index(after: percent)...]
      if after.hasPrefix("%") {
        result += "%"
        rest = after.dropFirst()
        continue
      }
      guard after.hasPrefix("("), let close = after.firstIndex(of: ")") else {
        result += "%"
        rest = after
        continue
      }
      let name = String(after[after.index(after: after.startIndex)..<close])
      var conversionEnd = after.index(after: close)
      // Skip a format spec such as `s`, `d`, `02d`.
      while conversionEnd < after.endIndex, after[conversionEnd].isNumber { conversionEnd = after.index(after: conversionEnd) }
      if conversionEnd < after.endIndex, "sdir".contains(after[conversionEnd]) { conversionEnd = after.index(after: conversionEnd) }
      let replacement: String?
      if name.hasPrefix("ENV_") {
        replacement = environment[String(name.dropFirst(4))]
      } else if name == "here" {
        replacement = here
      } else if name == "program_name" || name == "group_name" {
        replacement = programName
      } else if name == "process_num" {
        replacement = "0"
      } else if name == "host_node_name" {
        replacement = "localhost"
      } else {
        replacement = nil
      }
      if let replacement {
        result += replacement
      } else {
        result += "%" + after[..<conversionEnd]
      }
      rest = after[conversionEnd...]
    }
    result += rest
    return result
  }

  static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let directory = String(path[..<slash])
    return directory.isEmpty ? "/" : directory
  }

  static func normalize(_ path: String) -> String { "/" + DockerIgnore.clean(path) }
}


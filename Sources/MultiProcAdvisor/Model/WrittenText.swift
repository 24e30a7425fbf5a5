import DockerfileParser

/// What `cat <<EOF`, `echo …` and `printf …` write to standard output, as the shell running them would
/// write it (escapes applied, `printf`'s format reused for every argument), mapped back byte for byte to
/// the file the command is in — so a run script written by `RUN printf "#!/bin/sh\nexec app"` has two
/// lines, and a finding on its second line points at `exec app` in the Dockerfile.
struct WrittenText {
  /// How the shell's `echo` treats options and backslashes.
  enum EchoStyle: Sendable {
    /// dash (`/bin/sh` on Debian and Ubuntu): escapes always apply; `-n` is its only option, so
    /// `echo -e x` prints `-e x`.
    case dash
    /// bash, busybox ash, zsh: `-n`, `-e`, `-E`; escapes only with `-e` (zsh: unless `-E`).
    case bash
    case zsh
    /// A `/bin/sh` dockadvise does not know: `-n`/`-e`/`-E` taken as options and escapes applied (what
    /// the author who wrote them meant).
    case unknown

    /// The style of the shell `shell` (the first word of SHELL) in an image of `family`.
    static func of(shell: String?, family: BaseImage.Family) -> EchoStyle {
      switch shell.map(DaemonCatalog.basename) {
      case "bash", "ash", "busybox", "mksh", "ksh": return .bash
      case "zsh": return .zsh
      case "dash": return .dash
      case nil, "sh":
        switch family {
        case .debian: return .dash
        case .alpine, .redHat: return .bash
        case .scratch, .unknown: return .unknown
        }
      default: return .unknown
      }
    }
  }

  let source: SourceFile
  let echoStyle: EchoStyle

  /// The text `invocation` writes to standard output, when it is known without running anything.
  func output(of invocation: ShellInvocation, in script: ShellScript? = nil) -> MappedText? {
    let resolved = invocation.command.resolved
    switch resolved.program {
    case "base64":
      // `echo "IyEv…" | base64 -d > /main.sh`: the decoded text, every byte pointing at the encoded word.
      let flags = resolved.arguments.compactMap(\.literalValue)
      guard let script, resolved.arguments.count == flags.count, flags.contains(where: { $0 == "-d" || $0 == "--decode" || $0 == "-di" }),
        flags.allSatisfy({ $0.hasPrefix("-") }), invocation.pipelineCount > 1, invocation.index > 0
      else { return nil }
      let producer = script.invocations[invocation.index - 1]
      guard producer.pipelineCount == invocation.pipelineCount, producer.backgroundJob == invocation.backgroundJob,
        let encoded = output(of: producer, in: nil), let decoded = Self.decodeBase64(encoded.bytes)
      else { return nil }
      var text = MappedText()
      text.appendDecoded(decoded, from: encoded, 0..<encoded.count)
      return text
    case "cat":
      return resolved.arguments.isEmpty || resolved.arguments.allSatisfy({ $0.literalValue == "-" }) ? heredocBody(invocation) : nil
    case "echo":
      return echo(resolved.arguments, end: invocation.command.range.end)
    case "printf":
      return printf(resolved.arguments)
    default:
      return nil
    }
  }

  /// Standard base64 (RFC 4648, with or without padding; whitespace ignored), as `base64 -d` reads it;
  /// nil for anything else.
  static func decodeBase64(_ bytes: [UInt8]) -> [UInt8]? {
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count * 3 / 4)
    var accumulator: UInt32 = 0
    var bits = 0
    var padding = 0
    for byte in bytes {
      let value: UInt32
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = UInt32(byte - UInt8(ascii: "A"))
      case UInt8(ascii: "a")...UInt8(ascii: "z"): value = UInt32(byte - UInt8(ascii: "a")) + 26
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt32(byte - UInt8(ascii: "0")) + 52
      case UInt8(ascii: "+"): value = 62
      case UInt8(ascii: "/"): value = 63
      case UInt8(ascii: "="): padding += 1; continue
      case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
      default: return nil
      }
      guard padding == 0 else { return nil }
      accumulator = (accumulator << 6) | value
      bits += 6
      if bits >= 8 {
        bits -= 8
        result.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
      }
    }
    return result.isEmpty ? nil : result
  }

  /// The body of the heredoc feeding a command's standard input.
  func heredocBody(_ invocation: ShellInvocation) -> MappedText? {
    for redirection in invocation.redirections + invocation.enclosingRedirections {
      if let heredoc = redirection.heredoc {
        let range = heredoc.bodyRange
        guard range.start <= range.end, range.end <= source.bytes.count else { return nil }
        return MappedText(bytes: Array(source.bytes[range.start..<range.end]), verbatimFrom: range.start)
      }
    }
    return nil
  }

  // MARK: - Words

  /// A word's value after quote removal, mapped to the bytes of `source` it comes from (nil when the
  /// word has an expansion).
  func value(of word: ShellWord) -> MappedText? {
    var text = MappedText()
    return append(word.parts, to: &text) ? text : nil
  }

  private func append(_ parts: [ShellWordPart], to text: inout MappedText) -> Bool {
    for part in parts {
      switch part.kind {
      case .literal(let value), .extendedGlob(let value):
        appendPiece(Array(value.utf8), part.range, inset: 0, to: &text)
      case .singleQuoted(let value):
        appendPiece(Array(value.utf8), part.range, inset: 1, to: &text)
      case .escaped(let value), .ansiCQuoted(let value):
        text.appendDecoded(Array(value.utf8), originalStart: part.range.start, originalLength: part.range.length)
      case .doubleQuoted(let inner), .localeQuoted(let inner):
        if !append(inner, to: &text) { return false }
      case .parameter, .commandSubstitution, .arithmetic, .processSubstitution, .tilde, .array:
        return false
      }
    }
    return true
  }

  /// Bytes that stand for `range` (less `inset` bytes of quotes at each end): verbatim when they are the
  /// source's bytes there, else one decoded piece for the whole part.
  private func appendPiece(_ bytes: [UInt8], _ range: SourceRange, inset: Int, to text: inout MappedText) {
    let start = range.start + inset
    if start >= 0, start + bytes.count <= source.bytes.count, source.bytes[start..<(start + bytes.count)].elementsEqual(bytes) {
      text.appendVerbatim(bytes, originalStart: start)
    } else {
      text.appendDecoded(bytes, originalStart: range.start, originalLength: range.length)
    }
  }

  // MARK: - echo

  func echo(_ arguments: [ShellWord], end: Int) -> MappedText? {
    var words = arguments[...]
    var newline = true
    var escapes = echoStyle == .dash || echoStyle == .zsh || echoStyle == .unknown
    while let first = words.first?.literalValue, first.hasPrefix("-"), first.count > 1 {
      let letters = first.dropFirst()
      let known: String = echoStyle == .dash ? "n" : "neE"
      guard letters.allSatisfy({ known.contains($0) }) else { break }
      for letter in letters {
        switch letter {
        case "n": newline = false
        case "e": escapes = true
        case "E": escapes = false
        default: break
        }
      }
      words.removeFirst()
    }
    var text = MappedText()
    for (index, word) in words.enumerated() {
      guard let value = value(of: word) else { return nil }
      if index > 0 { text.appendDecoded([0x20], originalStart: word.range.start, originalLength: 0) }
      if escapes {
        let (decoded, stop) = Self.interpret(value, octalNeedsZero: true)
        text.append(from: decoded, 0..<decoded.count)
        if stop { return text }
      } else {
        text.append(from: value, 0..<value.count)
      }
    }
    if newline { text.appendDecoded([0x0A], originalStart: words.last?.range.end ?? end, originalLength: 0) }
    return text
  }

  // MARK: - printf

  /// `printf FORMAT ARGS…`: the format is reused until every argument is consumed.
  func printf(_ arguments: [ShellWord]) -> MappedText? {
    guard let formatWord = arguments.first, let format = value(of: formatWord) else { return nil }
    var values: [MappedText] = []
    for word in arguments.dropFirst() {
      guard let value = value(of: word) else { return nil }
      values.append(value)
    }
    var text = MappedText()
    var next = 0
    repeat {
      let before = next
      guard let stop = printfOnce(format, values, &next, into: &text) else { return nil }
      if stop || next == before { break }
    } while next < values.count
    return text
  }

  /// One pass over the format; nil for a conversion dockadvise does not model. Returns whether `\c` stopped output.
  private func printfOnce(_ format: MappedText, _ values: [MappedText], _ next: inout Int, into text: inout MappedText) -> Bool? {
    let bytes = format.bytes
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
        let (decoded, length, stop) = Self.escape(bytes, at: index, octalNeedsZero: false)
        if stop { return true }
        text.appendDecoded(decoded, from: format, index..<(index + length))
        index += length
        continue
      }
      guard byte == UInt8(ascii: "%"), index + 1 < bytes.count else {
        text.append(from: format, index..<(index + 1))
        index += 1
        continue
      }
      // %[flags][width][.precision]conversion
      var cursor = index + 1
      var leftAlign = false
      while cursor < bytes.count, "-+ #0".utf8.contains(bytes[cursor]) {
        if bytes[cursor] == UInt8(ascii: "-") { leftAlign = true }
        cursor += 1
      }
      var width = 0
      while cursor < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[cursor]) {
        width = min(width * 10 + Int(bytes[cursor] - UInt8(ascii: "0")), 4096)
        cursor += 1
      }
      if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ".") {
        cursor += 1
        while cursor < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[cursor]) { cursor += 1 }
      }
      guard cursor < bytes.count else { return nil }
      let conversion = bytes[cursor]
      let directive = index..<(cursor + 1)
      index = cursor + 1
      if conversion == UInt8(ascii: "%") {
        text.appendDecoded([UInt8(ascii: "%")], from: format, directive)
        continue
      }
      let argument = next < values.count ? values[next] : MappedText()
      if next < values.count { next += 1 }
      var piece: MappedText
      var stop = false
      switch conversion {
      case UInt8(ascii: "s"), UInt8(ascii: "d"), UInt8(ascii: "i"), UInt8(ascii: "u"):
        piece = argument
        if piece.count == 0, conversion != UInt8(ascii: "s") { piece.appendDecoded([UInt8(ascii: "0")], from: format, directive) }
      case UInt8(ascii: "b"):
        (piece, stop) = Self.interpret(argument, octalNeedsZero: true)
      case UInt8(ascii: "c"):
        piece = argument.count > 0 ? argument.slice(0..<1) : MappedText()
      default:
        return nil
      }
      if width > piece.count {
        let padding = [UInt8](repeating: 0x20, count: width - piece.count)
        if leftAlign {
          text.append(from: piece, 0..<piece.count)
          text.appendDecoded(padding, from: format, directive)
        } else {
          text.appendDecoded(padding, from: format, directive)
          text.append(from: piece, 0..<piece.count)
        }
      } else {
        text.append(from: piece, 0..<piece.count)
      }
      if stop { return true }
    }
    return false
  }

  // MARK: - Escapes

  /// Applies backslash escapes to mapped text (echo's and `%b`'s set); `stop` is true at `\c`.
  static func interpret(_ input: MappedText, octalNeedsZero: Bool) -> (MappedText, stop: Bool) {
    var output = MappedText()
    let bytes = input.bytes
    var index = 0
    var runStart = 0
    func flush(_ end: Int) {
      if end > runStart { output.append(from: input, runStart..<end) }
    }
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
        index += 1
        continue
      }
      flush(index)
      let (decoded, length, stop) = escape(bytes, at: index, octalNeedsZero: octalNeedsZero)
      if stop { return (output, true) }
      output.appendDecoded(decoded, from: input, index..<(index + length))
      index += length
      runStart = index
    }
    flush(bytes.count)
    return (output, false)
  }

  /// The escape at `bytes[index]` (a backslash): its bytes, how many input bytes it takes, and whether
  /// it is `\c` (stop output). Unknown escapes stay as written.
  static func escape(_ bytes: [UInt8], at index: Int, octalNeedsZero: Bool) -> ([UInt8], Int, stop: Bool) {
    let next = bytes[index + 1]
    switch next {
    case UInt8(ascii: "n"): return ([0x0A], 2, false)
    case UInt8(ascii: "t"): return ([0x09], 2, false)
    case UInt8(ascii: "r"): return ([0x0D], 2, false)
    case UInt8(ascii: "a"): return ([0x07], 2, false)
    case UInt8(ascii: "b"): return ([0x08], 2, false)
    case UInt8(ascii: "f"): return ([0x0C], 2, false)
    case UInt8(ascii: "v"): return ([0x0B], 2, false)
    case UInt8(ascii: "e"): return ([0x1B], 2, false)
    case UInt8(ascii: "\\"): return ([UInt8(ascii: "\\")], 2, false)
    case UInt8(ascii: "c"): return ([], 2, true)
    case UInt8(ascii: "\"") where !octalNeedsZero: return ([next], 2, false)
    case UInt8(ascii: "'") where !octalNeedsZero: return ([next], 2, false)
    case UInt8(ascii: "0")...UInt8(ascii: "7"):
      // echo and %b: \0NNN (up to three digits after the 0); printf's format: \NNN.
      var cursor = index + 1
      if octalNeedsZero {
        guard next == UInt8(ascii: "0") else { return ([UInt8(ascii: "\\"), next], 2, false) }
        cursor += 1
      }
      var value = 0
      var digits = 0
      while digits < 3, cursor < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(bytes[cursor]) {
        value = value * 8 + Int(bytes[cursor] - UInt8(ascii: "0"))
        digits += 1
        cursor += 1
      }
      return ([UInt8(value & 0xFF)], cursor - index, false)
    default:
      return ([UInt8(ascii: "\\"), next], 2, false)
    }
  }
}

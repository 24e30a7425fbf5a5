/// The checks of BuildKit's instruction layer (`instructions.Parse`): instructions BuildKit's parser
/// accepts but `docker build` rejects (unknown keyword, unknown or malformed flag, wrong number of
/// arguments, an instruction before the first FROM), and the grouping into stages.
///
/// Like `docker build`, it reports the first problem of each instruction.
struct InstructionChecker {
  let instructions: [Instruction]
  var issues: [ParseIssue] = []
  var stages: [Stage] = []
  var globalArgumentIndices: [Int] = []
  /// The last stage with each name so far (a lookup per FROM keeps many stages linear).
  var lastStageNamed: [String: Int] = [:]

  init(instructions: [Instruction]) {
    self.instructions = instructions
  }

  enum FlagType { case bool, string, strings }

  static let flagTypes: [String: [String: FlagType]] = [
    "add": [
      "chown": .string, "chmod": .string, "link": .bool, "keep-git-dir": .bool, "checksum": .string, "unpack": .bool,
      "exclude": .strings,
    ],
    "copy": ["chown": .string, "from": .string, "chmod": .string, "link": .bool, "exclude": .strings, "parents": .bool],
    "from": ["platform": .string],
    "run": ["mount": .strings, "network": .string, "security": .string, "device": .strings],
    "healthcheck": ["interval": .string, "timeout": .string, "start-period": .string, "start-interval": .string, "retries": .string],
  ]

  mutating func run() {
    for (index, instruction) in instructions.enumerated() {
      if !instruction.storage.hasParserError, let problem = check(instruction) {
        issues.append(ParseIssue(
          code: problem.code, severity: .error, layer: .instruction, message: problem.message, range: problem.range))
      }
      switch instruction.kind {
      case .from:
        addStage(instruction, index)
      case .arg where stages.isEmpty:
        globalArgumentIndices.append(index)
      default:
        if stages.isEmpty {
          issues.append(ParseIssue(
            code: .noBuildStage, severity: .error, layer: .instruction,
            message: "no build stage in current context: expected a FROM before \(instruction.kind)",
            range: instruction.keywordRange))
        } else {
          stages[stages.count - 1].instructionIndices = stages[stages.count - 1].instructionIndices.lowerBound..<(index + 1)
        }
      }
    }
  }

  mutating func addStage(_ instruction: Instruction, _ index: Int) {
    let words = instruction.valueWords
    let base = words.first
    var name: String?
    var nameRange: SourceRange?
    if words.count == 3 && words[1].text.lowercased() == "as" {
      name = words[2].text.lowercased()
      nameRange = words[2].range
    }
    let baseName = base?.text ?? ""
    let lowered = baseName.lowercased()
    let baseStage = lastStageNamed[lowered]
    if let name { lastStageNamed[name] = stages.count }
    stages.append(Stage(
      index: stages.count, fromIndex: index, instructionIndices: index..<(index + 1), name: name, nameRange: nameRange,
      baseName: baseName, baseNameRange: base?.range ?? .empty(at: instruction.argumentsRange.start),
      baseStageIndex: baseStage, platform: instruction.flag(named: "platform")))
  }

  struct Problem {
    var code: ParseIssue.Code
    var message: String
    var range: SourceRange
  }

  func check(_ instruction: Instruction) -> Problem? {
    let words = instruction.valueWords
    let kind = instruction.kind
    let whole = instruction.argumentsRange.isEmpty ? instruction.keywordRange : instruction.argumentsRange
    func arity(_ message: String) -> Problem { Problem(code: .wrongArgumentCount, message: message, range: whole) }
    func invalid(_ message: String, _ range: SourceRange) -> Problem { Problem(code: .invalidArgument, message: message, range: range) }

    switch kind {
    case .unknown(let keyword):
      var message = "unknown instruction: \(keyword)"
      if let suggestion = Self.suggestInstruction(keyword) { message += " (did you mean \(suggestion)?)" }
      return Problem(code: .unknownInstruction, message: message + ": expected a Dockerfile instruction", range: instruction.keywordRange)
    case .env, .label:
      if let problem = checkFlags(instruction, allowed: [:]) { return problem }
      if words.isEmpty { return arity("\(kind) requires at least one argument") }
      var index = 0
      while index + 2 < words.count {
        if words[index].bytes.isEmpty { return invalid("\(kind) names can not be blank", words[index].range) }
        index += 3
      }
    case .maintainer:
      if words.count != 1 { return arity("MAINTAINER requires exactly one argument") }
      return checkFlags(instruction, allowed: [:])
    case .add, .copy:
      if words.count < 2 {
        return arity("\(kind) requires at least two arguments, but only one was provided. Destination could not be determined")
      }
      if let problem = checkFlags(instruction, allowed: Self.flagTypes[kind.name] ?? [:]) { return problem }
      if let last = words.last, HeredocMarkers.matchMarker(last.bytes).map({ last.bytes.count > $0.restStart }) == true {
        return invalid("\(kind) cannot accept a heredoc as a destination", last.range)
      }
    case .from:
      if words.count == 3 && words[1].text.lowercased() == "as" {
        let name = words[2].text.lowercased()
        if !Self.isValidStageName(name) {
          return invalid(
            "invalid name for build stage: \(GoText.quote(words[2].bytes)), name can't start with a number or contain symbols",
            words[2].range)
        }
      } else if words.count != 1 {
        return arity("FROM requires either one or three arguments")
      }
      return checkFlags(instruction, allowed: Self.flagTypes["from"] ?? [:])
    case .onbuild:
      guard let trigger = instruction.triggerInstruction else { return arity("ONBUILD requires at least one argument") }
      if let problem = checkFlags(instruction, allowed: [:]) { return problem }
      switch trigger.kind {
      case .onbuild:
        return invalid("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", trigger.keywordRange)
      case .maintainer, .from:
        return invalid("\(trigger.keyword.uppercased()) isn't allowed as an ONBUILD trigger", trigger.keywordRange)
      default:
        break
      }
    case .workdir, .user:
      if words.count != 1 { return arity("\(kind) requires exactly one argument") }
      return checkFlags(instruction, allowed: [:])
    case .stopsignal:
      if words.count != 1 { return arity("STOPSIGNAL requires exactly one argument") }
    case .run:
      if let problem = checkFlags(instruction, allowed: Self.flagTypes["run"] ?? [:]) { return problem }
      if let network = instruction.flags.all(named: "network").last, let value = network.value,
        !["default", "none", "host"].contains(value)
      {
        return Problem(code: .invalidFlag, message: "invalid network mode \(GoText.quote(Array(value.utf8)))", range: network.range)
      }
      if let security = instruction.flags.all(named: "security").last, let value = security.value,
        !["insecure", "sandbox"].contains(value)
      {
        return Problem(code: .invalidFlag, message: "security mode \(GoText.quote(Array(value.utf8))) not supported", range: security.range)
      }
    case .cmd, .entrypoint:
      return checkFlags(instruction, allowed: [:])
    case .healthcheck:
      guard let type = words.first else { return arity("HEALTHCHECK requires at least one argument") }
      let upper = type.text.uppercased()
      if upper == "NONE" {
        if words.count > 1 { return arity("HEALTHCHECK NONE takes no arguments") }
        return nil
      }
      if let problem = checkFlags(instruction, allowed: Self.flagTypes["healthcheck"] ?? [:]) { return problem }
      guard upper == "CMD" else {
        return invalid("Unknown type \(GoText.quote(Array(upper.utf8))) in HEALTHCHECK (try CMD)", type.range)
      }
      if words.count < 2 { return arity("Missing command after HEALTHCHECK CMD") }
      for name in ["interval", "timeout", "start-period", "start-interval"] {
        guard let flag = instruction.flags.all(named: name).last, let value = flag.value, !value.isEmpty else { continue }
        guard let nanoseconds = GoDuration.parse(value) else {
          return Problem(code: .invalidFlag, message: "time: invalid duration \(GoText.quote(Array(value.utf8)))", range: flag.range)
        }
        if nanoseconds != 0 && nanoseconds < 1_000_000 {
          return Problem(code: .invalidFlag, message: "Interval \"\(name)\" cannot be less than 1ms", range: flag.range)
        }
      }
      if let flag = instruction.flags.all(named: "retries").last, let value = flag.value, !value.isEmpty {
        guard let retries = Int32(value) else {
          return Problem(
            code: .invalidFlag, message: "strconv.ParseInt: parsing \(GoText.quote(Array(value.utf8))): invalid syntax",
            range: flag.range)
        }
        if retries < 0 {
          return Problem(code: .invalidFlag, message: "--retries cannot be negative (\(retries))", range: flag.range)
        }
      }
    case .expose:
      if words.isEmpty { return arity("EXPOSE requires at least one argument") }
      return checkFlags(instruction, allowed: [:])
    case .volume:
      if words.isEmpty { return arity("VOLUME requires at least one argument") }
      if let problem = checkFlags(instruction, allowed: [:]) { return problem }
      for word in words where word.text.trimmingGoSpace().isEmpty {
        return invalid("VOLUME specified can not be an empty string", word.range)
      }
    case .arg:
      if words.isEmpty { return arity("ARG requires at least one argument") }
      for word in words where word.bytes.first == 0x3D {
        return invalid("ARG names can not be blank", word.range)
      }
    case .shell:
      if let problem = checkFlags(instruction, allowed: [:]) { return problem }
      if words.isEmpty { return arity("SHELL requires at least one argument") }
      if !instruction.isJSON {
        return invalid("SHELL requires the arguments to be in JSON form", instruction.argumentsRange)
      }
    }
    return nil
  }

  /// BuildKit's `BFlags.Parse` for the flags an instruction defines.
  func checkFlags(_ instruction: Instruction, allowed: [String: FlagType]) -> Problem? {
    var used: Set<String> = []
    for flag in instruction.flags {
      let flagName = "--" + flag.name
      guard let type = allowed[flag.name] else {
        var message = "unknown flag: \(flagName)"
        if let suggestion = Suggest.closest(flag.name, among: Array(allowed.keys), caseSensitive: true) {
          message += " (did you mean \(suggestion)?)"
        }
        return Problem(code: .unknownFlag, message: message, range: flag.range)
      }
      if used.contains(flag.name) && type != .strings {
        return Problem(code: .invalidFlag, message: "duplicate flag specified: \(flagName)", range: flag.range)
      }
      used.insert(flag.name)
      switch type {
      case .bool:
        if let value = flag.value {
          if value.isEmpty { return Problem(code: .invalidFlag, message: "missing a value on flag: \(flagName)", range: flag.range) }
          if flag.boolValue == nil {
            return Problem(code: .invalidFlag, message: "expecting boolean value for flag \(flagName), not: \(value)", range: flag.range)
          }
        }
      case .string, .strings:
        if flag.value == nil {
          return Problem(code: .invalidFlag, message: "missing a value on flag: \(flagName)", range: flag.range)
        }
      }
    }
    return nil
  }

  static func isValidStageName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, first >= 0x61 && first <= 0x7A else { return false }
    for byte in bytes.dropFirst() {
      let ok = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F || byte == 0x2E
      if !ok { return false }
    }
    return true
  }

  static func suggestInstruction(_ keyword: String) -> String? {
    guard let match = Suggest.closest(keyword, among: InstructionKind.known.map(\.name), caseSensitive: false) else {
      return nil
    }
    if keyword == keyword.lowercased() { return match.lowercased() }
    if keyword == keyword.uppercased() { return match.uppercased() }
    return match
  }
}

/// "Did you mean …?" as BuildKit's `suggest.Search` computes it (Levenshtein distance below 3).
enum Suggest {
  static func closest(_ value: String, among options: [String], caseSensitive: Bool) -> String? {
    let wanted = Array((caseSensitive ? value : value.lowercased()).unicodeScalars)
    var best: String?
    var bestDistance = 3
    for option in options.sorted() {
      let candidate = caseSensitive ? option : option.lowercased()
      let scalars = Array(candidate.unicodeScalars)
      if scalars == wanted { return nil }
      let distance = levenshtein(wanted, scalars)
      if distance < bestDistance {
        best = candidate
        bestDistance = distance
      }
    }
    return best
  }

  static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    // Words longer than any instruction or flag name cannot be within distance 3 of one.
    if abs(a.count - b.count) >= 3 { return 3 }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}

/// Go's `time.ParseDuration`, returning nanoseconds or nil when invalid.
enum GoDuration {
  static func parse(_ text: String) -> Double? {
    var bytes = Array(text.utf8)[...]
    var negative = false
    if let first = bytes.first, first == 0x2D || first == 0x2B {
      negative = first == 0x2D
      bytes = bytes.dropFirst()
    }
    if bytes.elementsEqual("0".utf8) { return 0 }
    if bytes.isEmpty { return nil }
    var total = 0.0
    while !bytes.isEmpty {
      var digits = 0
      var value = 0.0
      while let byte = bytes.first, byte >= 0x30 && byte <= 0x39 {
        value = value * 10 + Double(byte - 0x30)
        digits += 1
        bytes = bytes.dropFirst()
      }
      var fraction = 0.0
      var scale = 1.0
      var fractionDigits = 0
      if bytes.first == 0x2E {
        bytes = bytes.dropFirst()
        while let byte = bytes.first, byte >= 0x30 && byte <= 0x39 {
          scale /= 10
          fraction += Double(byte - 0x30) * scale
          fractionDigits += 1
          bytes = bytes.dropFirst()
        }
      }
      if digits == 0 && fractionDigits == 0 { return nil }
      var unitEnd = bytes.startIndex
      while unitEnd < bytes.endIndex && bytes[unitEnd] != 0x2E && !(bytes[unitEnd] >= 0x30 && bytes[unitEnd] <= 0x39) {
        unitEnd += 1
      }
      let unit = String(decoding: bytes[bytes.startIndex..<unitEnd], as: UTF8.self)
      bytes = bytes[unitEnd...]
      let multiplier: Double
      switch unit {
      case "ns": multiplier = 1
      case "us", "µs", "μs": multiplier = 1_000
      case "ms": multiplier = 1_000_000
      case "s": multiplier = 1_000_000_000
      case "m": multiplier = 60_000_000_000
      case "h": multiplier = 3_600_000_000_000
      default: return nil
      }
      total += (value + fraction) * multiplier
    }
    if total > 9.223372036854775807e18 { return nil }
    return negative ? -total : total
  }
}

extension String {
  /// `strings.TrimSpace`.
  func trimmingGoSpace() -> String {
    let bytes = Array(utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      let range = GoText.trimSpace(buffer, 0, buffer.count)
      return String(decoding: buffer[range], as: UTF8.self)
    }
  }
}

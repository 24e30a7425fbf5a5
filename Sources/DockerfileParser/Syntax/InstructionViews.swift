/// The arguments of a FROM: `FROM [--platform=…] image [AS name]`.
public struct FromArguments: Sendable {
  /// The base image (or earlier stage) as written, variables not expanded.
  public var image: ArgumentWord
  /// The `AS` keyword, when present.
  public var asKeyword: ArgumentWord?
  /// The stage name as written, when present.
  public var stageName: ArgumentWord?
  /// The `--platform` flag, when present.
  public var platform: Flag?

  /// The stage name lowercased, as BuildKit stores it.
  public var normalizedStageName: String? { stageName.map { $0.text.lowercased() } }
}

/// One source of a COPY or ADD: a path (or URL, or glob) or a heredoc written inline.
public struct CopySource: Sendable {
  /// The source word as written.
  public var word: ArgumentWord
  /// The heredoc when the source is `<<NAME`, matched by name as BuildKit does.
  public var heredoc: Heredoc?
}

/// The arguments of a COPY or ADD: flags, sources and destination.
public struct CopyArguments: Sendable {
  /// Every source, in order.
  public var sources: [CopySource]
  /// The destination (the last word); nil when fewer than two words were given.
  public var destination: ArgumentWord?
  /// True when the arguments were a JSON array.
  public var isJSON: Bool
  /// Every flag.
  public var flags: [Flag]

  /// `--from` (COPY only).
  public var from: Flag? { flags.first(named: "from") }
  /// `--chown`.
  public var chown: Flag? { flags.first(named: "chown") }
  /// `--chmod`.
  public var chmod: Flag? { flags.first(named: "chmod") }
  /// `--link`.
  public var link: Flag? { flags.first(named: "link") }
  /// `--parents` (COPY).
  public var parents: Flag? { flags.first(named: "parents") }
  /// `--exclude`, possibly repeated.
  public var excludes: [Flag] { flags.all(named: "exclude") }
  /// `--checksum` (ADD).
  public var checksum: Flag? { flags.first(named: "checksum") }
  /// `--keep-git-dir` (ADD).
  public var keepGitDir: Flag? { flags.first(named: "keep-git-dir") }
  /// `--unpack` (ADD).
  public var unpack: Flag? { flags.first(named: "unpack") }
  /// Sources that are file paths (not heredocs).
  public var pathSources: [ArgumentWord] { sources.filter { $0.heredoc == nil }.map(\.word) }
  /// Sources written as heredocs.
  public var heredocSources: [Heredoc] { sources.compactMap(\.heredoc) }
}

/// One `key=value` (or legacy `key value`) of ENV or LABEL, or one `name[=default]` of ARG.
public struct KeyValuePair: Sendable {
  /// The key as BuildKit's parser gives it (quotes kept).
  public var key: ArgumentWord
  /// The value as BuildKit's parser gives it (quotes and escapes kept, variables not expanded); nil for
  /// an ARG without a default.
  public var value: ArgumentWord?
  /// False for the legacy `ENV key value` form (and for an ARG without `=`).
  public var hasEquals: Bool
  /// The escape character of the file, used to unquote the value.
  public var escapeByte: UInt8

  /// The whole pair as written.
  public var range: SourceRange { value.map { key.range.union($0.range) } ?? key.range }

  /// The value with quotes and escapes removed as BuildKit's word processing does, variables left as
  /// written; nil when there is no value or it cannot be processed (an unterminated quote).
  public var unquotedValue: String? {
    guard let value else { return nil }
    var expander = WordExpander(escapeByte: escapeByte)
    expander.keepsUnsetVariables = true
    let expansion = expander.expand(value.bytes) { _ in nil }
    return expansion.error == nil ? expansion.text : nil
  }

  /// The value expanded with `lookup` as BuildKit does when it builds (quotes removed, `$VAR`,
  /// `${VAR:-default}` … replaced); the result lists unresolved variables. Nil without a value.
  public func expandedValue(lookup: (String) -> String?) -> WordExpansion? {
    guard let value else { return nil }
    return WordExpander(escapeByte: escapeByte).expand(value.bytes, lookup: lookup)
  }
}

/// The arguments of a HEALTHCHECK.
public struct HealthcheckArguments: Sendable {
  /// What the HEALTHCHECK says.
  public enum Mode: Sendable {
    /// `HEALTHCHECK NONE`: disable the inherited health check.
    case none
    /// `HEALTHCHECK [options] CMD command`.
    case command(CommandForm)
    /// A type BuildKit rejects (`HEALTHCHECK CONNECT …`), or `CMD` without a command.
    case invalid
  }

  /// The type word (`NONE`, `CMD`) as written.
  public var type: ArgumentWord
  public var mode: Mode
  /// The options (`--interval`, `--timeout`, `--start-period`, `--start-interval`, `--retries`).
  public var options: [Flag]

  public var interval: Flag? { options.first(named: "interval") }
  public var timeout: Flag? { options.first(named: "timeout") }
  public var startPeriod: Flag? { options.first(named: "start-period") }
  public var startInterval: Flag? { options.first(named: "start-interval") }
  public var retries: Flag? { options.first(named: "retries") }
}

extension Instruction {
  /// FROM's image, stage name and platform; nil for other instructions or without an image.
  public var fromArguments: FromArguments? {
    let words = valueWords
    guard kind == .from, let image = words.first else { return nil }
    var result = FromArguments(image: image, asKeyword: nil, stageName: nil, platform: flag(named: "platform"))
    if words.count >= 2 && words[1].text.lowercased() == "as" {
      result.asKeyword = words[1]
      if words.count >= 3 { result.stageName = words[2] }
    }
    return result
  }

  /// COPY's or ADD's sources, destination and flags; nil for other instructions.
  public var copyArguments: CopyArguments? {
    guard kind == .copy || kind == .add else { return nil }
    let words = valueWords
    var byName: [String: Heredoc] = [:]
    for heredoc in heredocs { byName[heredoc.name] = heredoc }
    let sourceWords = words.count >= 2 ? Array(words.dropLast()) : words
    let sources = sourceWords.map { word -> CopySource in
      var heredoc: Heredoc?
      if let match = HeredocMarkers.matchMarker(word.bytes), word.bytes.count > match.restStart {
        var lexer = WordExpander(escapeByte: 0x5C)
        lexer.keepsUnsetVariables = true
        let name = lexer.split(Array(word.bytes[match.restStart...])) { _ in nil }
        if name.error == nil, name.words.count == 1 {
          heredoc = byName[String(decoding: name.words[0], as: UTF8.self)]
        }
      }
      return CopySource(word: word, heredoc: heredoc)
    }
    return CopyArguments(
      sources: sources, destination: words.count >= 2 ? words.last : nil, isJSON: isJSON, flags: flags)
  }

  /// The pairs of an ENV, LABEL or ARG; empty for other instructions.
  public var keyValuePairs: [KeyValuePair] {
    switch kind {
    case .env, .label:
      let words = valueWords
      var pairs: [KeyValuePair] = []
      var index = 0
      while index + 2 < words.count {
        pairs.append(KeyValuePair(
          key: words[index], value: words[index + 1], hasEquals: !words[index + 2].bytes.isEmpty, escapeByte: escapeByte))
        index += 3
      }
      return pairs
    case .arg:
      let line = logicalLine
      return zip(valueWords, rawWords.map(\.range)).map { word, logical in
        guard let equalsIndex = word.bytes.firstIndex(of: 0x3D),
          let equalsOffset = line.bytes[logical].firstIndex(of: 0x3D)
        else {
          return KeyValuePair(key: word, value: nil, hasEquals: false, escapeByte: escapeByte)
        }
        let key = ArgumentWord(
          bytes: Array(word.bytes[..<equalsIndex]), range: line.originalRange(logical.lowerBound, equalsOffset))
        let valueRange = line.originalRange(equalsOffset + 1, logical.upperBound)
        let value = ArgumentWord(
          bytes: Array(word.bytes[(equalsIndex + 1)...]),
          range: valueRange.isEmpty ? .empty(at: line.originalOffset(equalsOffset) + 1) : valueRange)
        return KeyValuePair(key: key, value: value, hasEquals: true, escapeByte: escapeByte)
      }
    default:
      return []
    }
  }

  /// HEALTHCHECK's mode, options and command; nil for other instructions or a bare HEALTHCHECK.
  public var healthcheck: HealthcheckArguments? {
    guard kind == .healthcheck, let type = valueWords.first else { return nil }
    let mode: HealthcheckArguments.Mode
    switch type.text.uppercased() {
    case "NONE": mode = .none
    case "CMD": mode = commandForm.map { .command($0) } ?? .invalid
    default: mode = .invalid
    }
    return HealthcheckArguments(type: type, mode: mode, options: flags)
  }

  /// The single value of STOPSIGNAL, USER, WORKDIR or MAINTAINER (the whole argument text, as BuildKit
  /// takes it); nil for other instructions or without arguments.
  public var singleValue: ArgumentWord? {
    switch kind {
    case .stopsignal, .user, .workdir, .maintainer: return valueWords.first
    default: return nil
    }
  }

  /// The ports of an EXPOSE (as written, variables not expanded); empty for other instructions.
  public var exposedPorts: [ArgumentWord] { kind == .expose ? valueWords : [] }

  /// The paths of a VOLUME (JSON or whitespace-separated); empty for other instructions.
  public var volumes: [ArgumentWord] { kind == .volume ? valueWords : [] }

  /// The shell of a SHELL in exec form; nil otherwise.
  public var shellCommand: [ExecArgument]? { kind == .shell ? commandForm?.execArguments : nil }
}

extension Dockerfile {
  /// The instructions of a stage, its FROM first.
  public func instructions(in stage: Stage) -> ArraySlice<Instruction> { instructions[stage.instructionIndices] }

  /// The last instruction of `kind` in `stage` (not inherited from a base stage), if any.
  public func lastInstruction(_ kind: InstructionKind, in stage: Stage) -> Instruction? {
    instructions[stage.instructionIndices].last { $0.kind == kind }
  }
}

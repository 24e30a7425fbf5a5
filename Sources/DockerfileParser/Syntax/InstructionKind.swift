/// The instruction a keyword names, matched case-insensitively as BuildKit does.
public enum InstructionKind: Sendable, Hashable, CustomStringConvertible {
  case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer, onbuild, run,
    shell, stopsignal, user, volume, workdir
  /// A keyword BuildKit does not know (the keyword as written).
  case unknown(String)

  /// Every known kind, in alphabetical order.
  public static let known: [InstructionKind] = [
    .add, .arg, .cmd, .copy, .entrypoint, .env, .expose, .from, .healthcheck, .label, .maintainer, .onbuild,
    .run, .shell, .stopsignal, .user, .volume, .workdir,
  ]

  /// The lowercase keyword (`"run"`), or the keyword as written for `.unknown`.
  public var name: String {
    switch self {
    case .add: "add"
    case .arg: "arg"
    case .cmd: "cmd"
    case .copy: "copy"
    case .entrypoint: "entrypoint"
    case .env: "env"
    case .expose: "expose"
    case .from: "from"
    case .healthcheck: "healthcheck"
    case .label: "label"
    case .maintainer: "maintainer"
    case .onbuild: "onbuild"
    case .run: "run"
    case .shell: "shell"
    case .stopsignal: "stopsignal"
    case .user: "user"
    case .volume: "volume"
    case .workdir: "workdir"
    case .unknown(let keyword): keyword
    }
  }

  /// The uppercase keyword as BuildKit's messages print it.
  public var description: String {
    if case .unknown(let keyword) = self { return keyword }
    return name.uppercased()
  }

  /// True for RUN, CMD, ENTRYPOINT and SHELL, whose arguments are a command in exec or shell form.
  public var takesCommand: Bool {
    switch self {
    case .run, .cmd, .entrypoint, .shell: true
    default: false
    }
  }

  /// The kind of the keyword at `range` of `b`, matched as BuildKit does after Go's `strings.ToLower`.
  static func match(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> InstructionKind {
    if range.count >= 3 && range.count <= 11 {
      // Pack the ASCII-lowercased keyword into two words and compare with the known keywords.
      var low: UInt64 = 0
      var high: UInt64 = 0
      var ascii = true
      for (offset, index) in range.enumerated() {
        var byte = b[index]
        if byte >= 0x80 { ascii = false; break }
        if byte >= 0x41 && byte <= 0x5A { byte += 0x20 }
        if offset < 8 { low |= UInt64(byte) << (8 * UInt64(offset)) } else { high |= UInt64(byte) << (8 * UInt64(offset - 8)) }
      }
      if ascii {
        for entry in packedKeywords where entry.low == low && entry.high == high { return entry.kind }
        return .unknown(String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self))
      }
    }
    let written = Array(b[range])
    return fromLowercased(GoText.toLower(written[...]), written: written)
  }

  private static let packedKeywords: [(low: UInt64, high: UInt64, kind: InstructionKind)] = known.map { kind in
    var low: UInt64 = 0
    var high: UInt64 = 0
    for (offset, byte) in kind.name.utf8.enumerated() {
      if offset < 8 { low |= UInt64(byte) << (8 * UInt64(offset)) } else { high |= UInt64(byte) << (8 * UInt64(offset - 8)) }
    }
    return (low, high, kind)
  }

  /// The kind for keyword bytes lowercased the way Go's `strings.ToLower` does.
  static func fromLowercased(_ lowered: [UInt8], written: [UInt8]) -> InstructionKind {
    switch lowered.count {
    case 3:
      if lowered == Keywords.add { return .add }
      if lowered == Keywords.arg { return .arg }
      if lowered == Keywords.cmd { return .cmd }
      if lowered == Keywords.env { return .env }
      if lowered == Keywords.run { return .run }
    case 4:
      if lowered == Keywords.copy { return .copy }
      if lowered == Keywords.from { return .from }
      if lowered == Keywords.user { return .user }
    case 5:
      if lowered == Keywords.label { return .label }
      if lowered == Keywords.shell { return .shell }
    case 6:
      if lowered == Keywords.expose { return .expose }
      if lowered == Keywords.volume { return .volume }
    case 7:
      if lowered == Keywords.onbuild { return .onbuild }
      if lowered == Keywords.workdir { return .workdir }
    case 10:
      if lowered == Keywords.entrypoint { return .entrypoint }
      if lowered == Keywords.maintainer { return .maintainer }
      if lowered == Keywords.stopsignal { return .stopsignal }
    case 11:
      if lowered == Keywords.healthcheck { return .healthcheck }
    default:
      break
    }
    return .unknown(String(decoding: written, as: UTF8.self))
  }

  private enum Keywords {
    static let add = Array("add".utf8), arg = Array("arg".utf8), cmd = Array("cmd".utf8), env = Array("env".utf8)
    static let run = Array("run".utf8), copy = Array("copy".utf8), from = Array("from".utf8)
    static let user = Array("user".utf8), label = Array("label".utf8), shell = Array("shell".utf8)
    static let expose = Array("expose".utf8), volume = Array("volume".utf8), onbuild = Array("onbuild".utf8)
    static let workdir = Array("workdir".utf8), entrypoint = Array("entrypoint".utf8)
    static let maintainer = Array("maintainer".utf8), stopsignal = Array("stopsignal".utf8)
    static let healthcheck = Array("healthcheck".utf8)
  }
}

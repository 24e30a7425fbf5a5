/// A program that runs another program: `exec`, `gosu app`, `sudo -u app -E`, `env A=b`, `tini --`…
public struct ShellCommandWrapper: Sendable, Equatable {
  /// The wrapper's name without its path: `exec`, `gosu`, `su-exec`, `su`, `env`, `s6-setuidgid`…
  public var name: String
  /// The wrapper's own words: its name, options and operands (`gosu`, `app`).
  public var words: [ShellWord]
  /// The user it switches to, when it names one (`gosu app`, `sudo -u app`, `chpst -u app`).
  public var user: String?
  /// True when the wrapper came from shell code passed as a string (`su app -c 'exec x'`).
  public var isInEmbeddedCode: Bool

  public init(name: String, words: [ShellWord], user: String? = nil, isInEmbeddedCode: Bool = false) {
    self.name = name
    self.words = words
    self.user = user
    self.isInEmbeddedCode = isInEmbeddedCode
  }
}

/// A simple command seen through its wrappers: `exec gosu postgres "$@"` runs `"$@"`;
/// `su app -c 'exec node server.js'` runs `node`.
public struct ShellResolvedCommand: Sendable, Equatable {
  /// The wrappers in the order they appear.
  public var wrappers: [ShellCommandWrapper] = []
  /// The word naming the program finally run; nil when there is none (`exec >log 2>&1`) or it is only
  /// known from shell code that does not reduce to one command.
  public var programWord: ShellWord?
  /// The words after the program.
  public var arguments: [ShellWord] = []
  /// True when the shell replaces itself with the command (`exec` in front, outside embedded code).
  public var isExec: Bool = false
  /// `NAME=value` words given to `env` or `sudo`.
  public var environment: [ShellWord] = []

  public init() {}

  /// The program as written (`/usr/sbin/nginx`), when literal.
  public var programPath: String? { programWord?.literalValue }
  /// The program's last path component (`nginx`): from a literal word, or from the literal tail of a word
  /// whose directory is an expansion (`$APP_HOME/bin/app` → `app`).
  public var program: String? {
    guard let word = programWord else { return nil }
    if let literal = word.literalValue { return ShellResolvedCommand.basename(literal) }
    var tail = ""
    for part in word.parts.reversed() {
      guard case .literal(let text) = part.kind else { break }
      tail = text + tail
      if tail.contains("/") { break }
    }
    guard let slash = tail.lastIndex(of: "/") else { return nil }
    let name = tail[tail.index(after: slash)...]
    return name.isEmpty ? nil : String(name)
  }
  /// The last user a wrapper switches to.
  public var user: String? { wrappers.last(where: { $0.user != nil })?.user }
  /// True when the program word is `"$@"`, `$@`, `"${@}"` or `$*`: the script's (or function's) arguments.
  public var runsArguments: Bool { programWord?.isAllArguments ?? false }
  /// True when `name` (`gosu`, `tini`…) is one of the wrappers.
  public func hasWrapper(_ name: String) -> Bool { wrappers.contains { $0.name == name } }

  /// The literal values of the arguments (nil where an argument is not literal).
  public var argumentValues: [String?] { arguments.map(\.literalValue) }

  /// The argument at `index` (0 is the first after the program).
  public func argument(at index: Int) -> ShellWord? { index >= 0 && index < arguments.count ? arguments[index] : nil }

  /// True when some argument's literal value is `value`.
  public func hasArgument(_ value: String) -> Bool { arguments.contains { $0.literalValue == value } }

  /// True when the arguments (before a `--`) contain `flag`: exactly, as `--flag=value` for a long flag,
  /// or inside a cluster of short flags for a one-letter flag (`-d` in `-dv`).
  public func hasFlag(_ flag: String) -> Bool {
    for word in arguments {
      guard let value = word.literalValue else { continue }
      if value == "--" { return false }
      if value == flag { return true }
      if flag.hasPrefix("--") {
        if value.hasPrefix(flag + "=") { return true }
      } else if flag.hasPrefix("-"), flag.count == 2, value.hasPrefix("-"), !value.hasPrefix("--"), value.count > 2,
        value.dropFirst().allSatisfy({ $0.isLetter }), value.contains(flag.last!)
      {
        return true
      }
    }
    return false
  }

  /// The word after the first argument equal to `flag` (`argument(after: "-g")` → `'daemon off;'`).
  public func argument(after flag: String) -> ShellWord? {
    guard let index = arguments.firstIndex(where: { $0.literalValue == flag }), index + 1 < arguments.count else {
      return nil
    }
    return arguments[index + 1]
  }

  /// The value given to an option: `-g value`, `--name value`, `--name=value`, or `-Xvalue` for a one-letter
  /// option. Nil when the option is absent or its value is not literal.
  public func value(ofOption option: String) -> String? {
    for (index, word) in arguments.enumerated() {
      guard let value = word.literalValue else { continue }
      if value == "--" { return nil }
      if value == option { return index + 1 < arguments.count ? arguments[index + 1].literalValue : nil }
      if option.hasPrefix("--"), value.hasPrefix(option + "=") { return String(value.dropFirst(option.count + 1)) }
      if !option.hasPrefix("--"), option.count == 2, value.hasPrefix(option), value.count > 2 {
        return String(value.dropFirst(2))
      }
    }
    return nil
  }

  static func basename(_ path: String) -> String {
    guard path.utf8.contains(UInt8(ascii: "/")), let slash = path.lastIndex(of: "/") else { return path }
    let tail = path[path.index(after: slash)...]
    return tail.isEmpty ? path : String(tail)
  }

  static var shells: Set<String> { ShellNames.commandShells }
  /// Every name `resolve` looks through (checked first: most commands are not wrappers).
  static let wrapperNames: Set<String> = [
    "exec", "command", "builtin", "nohup", "with-contenv", "unbuffer", "setsid", "sudo", "doas", "su", "runuser",
    "gosu", "su-exec", "s6-setuidgid", "setuidgid", "s6-envuidgid", "envuidgid", "fdmove", "s6-applyuidgid",
    "s6-notifyoncheck", "envdir", "s6-envdir", "env", "chpst", "setpriv", "tini", "tini-static", "docker-init",
    "dumb-init", "catatonit", "stdbuf", "timeout", "nice", "ionice", "capsh", "busybox",
  ]

  /// What a wrapper chain resolves to, and which word (if any) holds shell code.
  struct Resolution {
    var resolved = ShellResolvedCommand()
    /// Index in the words of a `-c` string run by a shell, `su`, `runuser` or `capsh`.
    var codeIndex: Int?
    /// True when the program is found inside that code (`su`, `runuser`, `capsh`); false for `sh -c`.
    var programInCode = false
  }

  /// Looks through the wrappers at the front of `words`.
  static func resolve(_ words: [ShellWord]) -> Resolution {
    var result = Resolution()
    let values = LazyLiteralValues(words)
    let count = words.count
    var index = 0
    func value(_ at: Int) -> String? { at < count ? values[at] : nil }
    func isOption(_ at: Int) -> Bool { value(at).map { $0.hasPrefix("-") && $0.count > 1 } ?? false }
    func isEnvironmentAssignment(_ text: String) -> Bool {
      guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return false }
      return ShellParser.isValidName(String(text[..<equals]))
    }
    /// Skips options; `withValue` options take the next word (or an attached value for one-letter ones).
    func skipOptions(
      from start: Int, withValue: Set<String>, userOptions: Set<String> = [], user: inout String?
    ) -> Int {
      var at = start
      while at < count, let option = values[at], option.hasPrefix("-"), option.count > 1 {
        if option == "--" { return at + 1 }
        if let equals = option.firstIndex(of: "="), option.hasPrefix("--") {
          if userOptions.contains(String(option[..<equals])) { user = String(option[option.index(after: equals)...]) }
          at += 1
          continue
        }
        if withValue.contains(option) {
          if userOptions.contains(option) { user = value(at + 1) }
          at += 2
          continue
        }
        let short = String(option.prefix(2))
        if !option.hasPrefix("--"), option.count > 2, withValue.contains(short) {
          if userOptions.contains(short) { user = String(option.dropFirst(2)) }
          at += 1
          continue
        }
        at += 1
      }
      return at
    }

    wrappers: while index < count, let literal = values[index] {
      let name = basename(literal)
      guard wrapperNames.contains(name) else { break wrappers }
      var next: Int?
      var user: String?
      switch name {
      case "exec":
        var at = index + 1
        while at < count, let option = values[at], option.hasPrefix("-"), option.count > 1 {
          if option == "--" {
            at += 1
            break
          }
          guard option.dropFirst().allSatisfy({ $0 == "a" || $0 == "c" || $0 == "l" }) else { break }
          at += option.contains("a") ? 2 : 1
        }
        result.resolved.isExec = true
        next = Swift.min(at, count)
      case "command":
        var at = index + 1
        var query = false
        while at < count, let option = values[at], option.hasPrefix("-"), option.count > 1 {
          if option == "--" {
            at += 1
            break
          }
          if option.contains("v") || option.contains("V") { query = true }
          at += 1
        }
        if !query && at < count { next = at }
      case "builtin", "nohup", "with-contenv", "unbuffer":
        var at = index + 1
        if value(at) == "--" { at += 1 }
        if at < count { next = at }
      case "setsid":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: [], user: &ignored)
        if at < count { next = at }
      case "sudo", "doas":
        let at = skipOptions(
          from: index + 1,
          withValue: [
            "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "-a", "-c", "--user", "--group", "--close-from",
            "--chdir", "--host", "--prompt", "--role", "--type", "--command-timeout", "--other-user", "--login-class",
          ], userOptions: ["-u", "--user"], user: &user)
        var command = at
        while let text = value(command), isEnvironmentAssignment(text) {
          result.resolved.environment.append(words[command])
          command += 1
        }
        if command < count { next = command }
      case "su", "runuser":
        if name == "runuser", words.dropFirst(index + 1).contains(where: { $0.literalValue == "-u" }) {
          let at = skipOptions(
            from: index + 1, withValue: ["-u", "-g", "-G", "-s", "-w", "--user", "--group", "--supp-group", "--shell"],
            userOptions: ["-u", "--user"], user: &user)
          if at < count { next = at }
          break
        }
        var at = index + 1
        var code: Int?
        while at < count {
          guard let option = values[at] else {
            at += 1
            continue
          }
          if option == "-c" || option == "--command" || option == "--session-command" {
            code = at + 1
            at += 2
          } else if ["-s", "--shell", "-g", "--group", "-G", "--supp-group", "-w", "--whitelist-environment"]
            .contains(option)
          {
            at += 2
          } else if option.hasPrefix("-") && option != "-" && !option.hasPrefix("--") && option.contains("c") {
            code = at + 1
            at += 2
          } else if option.hasPrefix("-") {
            at += 1
          } else if user == nil {
            user = option
            at += 1
          } else {
            at += 1
          }
        }
        if let code, code < count {
          result.codeIndex = code
          result.programInCode = true
          result.resolved.wrappers.append(ShellCommandWrapper(name: name, words: Array(words[index...]), user: user))
          return result
        }
      case "gosu", "su-exec", "s6-setuidgid", "setuidgid", "s6-envuidgid", "envuidgid":
        user = value(index + 1)
        if index + 2 < count { next = index + 2 }
      case "fdmove":
        // fdmove [-c] fdto fdfrom prog…
        var at = index + 1
        if value(at) == "-c" { at += 1 }
        if at + 2 < count { next = at + 2 }
      case "s6-applyuidgid":
        let at = skipOptions(from: index + 1, withValue: ["-u", "-g", "-G"], userOptions: ["-u"], user: &user)
        if at < count { next = at }
      case "s6-notifyoncheck":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: ["-3", "-s", "-T", "-t", "-w", "-n", "-c"], user: &ignored)
        if at < count { next = at }
      case "envdir", "s6-envdir":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: [], user: &ignored)
        if at + 1 < count { next = at + 1 }
      case "env":
        var at = index + 1
        while at < count, let option = values[at], option.hasPrefix("-") {
          if option == "--" {
            at += 1
            break
          }
          if ["-u", "--unset", "-C", "--chdir", "-S", "--split-string"].contains(option) {
            at += 2
          } else {
            at += 1
          }
        }
        while let text = value(at), isEnvironmentAssignment(text) {
          result.resolved.environment.append(words[at])
          at += 1
        }
        if at < count { next = at }
      case "chpst":
        let at = skipOptions(
          from: index + 1,
          withValue: ["-u", "-U", "-b", "-e", "-/", "-n", "-l", "-L", "-m", "-d", "-o", "-p", "-f", "-c", "-t", "-T"],
          userOptions: ["-u"], user: &user)
        if let named = user, let colon = named.firstIndex(of: ":") { user = String(named[..<colon]) }
        if at < count { next = at }
      case "setpriv":
        let at = skipOptions(
          from: index + 1,
          withValue: [
            "--reuid", "--regid", "--ruid", "--euid", "--rgid", "--egid", "--groups", "--inh-caps", "--ambient-caps",
            "--bounding-set", "--securebits", "--selinux-label", "--apparmor-profile", "--pdeathsig",
            "--landlock-access", "--landlock-rule",
          ], userOptions: ["--reuid", "--ruid", "--euid"], user: &user)
        if at < count { next = at }
      case "tini", "tini-static", "docker-init":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: ["-p", "-e"], user: &ignored)
        if at < count { next = at }
      case "dumb-init":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: ["-r", "--rewrite"], user: &ignored)
        if at < count { next = at }
      case "catatonit":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: [], user: &ignored)
        if at < count { next = at }
      case "stdbuf":
        var ignored: String?
        let at = skipOptions(
          from: index + 1, withValue: ["-i", "-o", "-e", "--input", "--output", "--error"], user: &ignored)
        if at < count { next = at }
      case "timeout":
        var ignored: String?
        let at = skipOptions(from: index + 1, withValue: ["-s", "-k", "--signal", "--kill-after"], user: &ignored)
        if at + 1 < count { next = at + 1 }
      case "nice":
        var at = index + 1
        while at < count, let option = values[at], option.hasPrefix("-") {
          if option == "--" {
            at += 1
            break
          }
          at += (option == "-n" || option == "--adjustment") ? 2 : 1
        }
        if at < count { next = at }
      case "ionice":
        var ignored: String?
        let at = skipOptions(
          from: index + 1,
          withValue: ["-c", "-n", "-p", "-P", "-u", "--class", "--classdata", "--pid", "--pgid", "--uid"],
          user: &ignored)
        if at < count { next = at }
      case "capsh":
        guard let separator = words[(index + 1)...].firstIndex(where: { $0.literalValue == "--" }) else { break }
        for word in words[(index + 1)..<separator] {
          if let option = word.literalValue, option.hasPrefix("--user=") { user = String(option.dropFirst(7)) }
        }
        var at = separator + 1
        var sawC = false
        while at < count, let option = values[at], option.hasPrefix("-") {
          if option.hasPrefix("-"), !option.hasPrefix("--"), option.contains("c") { sawC = true }
          at += (option == "-o" || option == "+o") ? 2 : 1
          if sawC { break }
        }
        if sawC, at < count {
          result.codeIndex = at
          result.programInCode = true
          result.resolved.wrappers.append(ShellCommandWrapper(name: name, words: Array(words[index...]), user: user))
          return result
        }
        if at < count { next = at }
      case "busybox":
        if let applet = value(index + 1), !applet.hasPrefix("-") { next = index + 1 }
      default:
        break wrappers
      }
      guard let next else { break wrappers }
      result.resolved.wrappers.append(ShellCommandWrapper(name: name, words: Array(words[index..<next]), user: user))
      index = next
    }
    guard index < count else { return result }
    result.resolved.programWord = words[index]
    result.resolved.arguments = Array(words[(index + 1)...])
    if let program = result.resolved.program, shells.contains(program) {
      // sh [-e] [-o opt] -c 'code' [name args…]
      var at = index + 1
      var sawC = false
      while at < count, let option = values[at], option.hasPrefix("-") || option.hasPrefix("+"), option.count > 1 {
        if option == "--" || option == "-" {
          at += 1
          break
        }
        if !option.hasPrefix("--"), option.dropFirst().contains("c") { sawC = true }
        at += (option == "-o" || option == "+o" || option == "-O" || option == "+O") ? 2 : 1
      }
      if sawC, at < count { result.codeIndex = at }
    }
    return result
  }
}

/// The literal values of words, computed when first asked for (most commands look at one or two).
final class LazyLiteralValues {
  let words: [ShellWord]
  var cache: [String??]

  init(_ words: [ShellWord]) {
    self.words = words
    cache = Array(repeating: nil, count: words.count)
  }

  subscript(_ index: Int) -> String? {
    if let known = cache[index] { return known }
    let value = words[index].literalValue
    cache[index] = .some(value)
    return value
  }
}

import CSys

// The Procfile: `name: command` lines (foreman/honcho), `#` comments and blank lines, plus the
// dockadvise-init extension, comment lines that foreman and honcho ignore:
//
//   # dockadvise-init: migrate oneshot
//   # dockadvise-init: web main stop-signal=QUIT
//   # dockadvise-init: worker restart=on-failure max-restarts=5 backoff=1s backoff-max=1m
//   migrate: ./manage.py migrate
//   web: gunicorn app:app
//   worker: celery -A app worker

/// Reads the services of a Procfile and its `# dockadvise-init:` lines; exits 2 on an unreadable or invalid file.
func readProcfile(_ path: Bytes, into services: inout [Service], markers: inout [[Bytes]]) {
  let (bytes, failure) = readFile(path)
  if failure == EFBIG { configFailure("Procfile '", path, "' is larger than 1 MiB") }
  if failure != 0 { configFailure("cannot read Procfile '", path + Text("': ").bytes + errnoText(failure)) }
  parseProcfile(bytes, label: path, into: &services, markers: &markers)
}

/// `strerror` as bytes.
func errnoText(_ code: Int32) -> Bytes {
  var text = Text()
  text.add(errno: code)
  return text.bytes
}

/// Parses Procfile text; `label` names the file in messages (`Procfile:3: …`). Markers found in the
/// file go before those already in `markers` (flags win over the file).
func parseProcfile(_ input: Bytes, label: Bytes, into services: inout [Service], markers: inout [[Bytes]]) {
  var fileMarkers: [[Bytes]] = []
  var start = 0
  if input.count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { start = 3 }
  var lineNumber = 0
  while start < input.count {
    var end = start
    while end < input.count && input[end] != UInt8(ascii: "\n") { end += 1 }
    lineNumber += 1
    var lineEnd = end
    if lineEnd > start && input[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
    let text = trimmed(input[start..<lineEnd])
    start = end + 1

    var origin = Text()
    origin.add(label)
    origin.add(byte: UInt8(ascii: ":"))
    origin.add(lineNumber)

    if text.isEmpty { continue }
    if text[0] == UInt8(ascii: "#") {
      let comment = trimmed(text[1...])
      if hasPrefix(comment, "dockadvise-init:") {
        let optionWords = words(Bytes(comment[16...]), quotes: true)
        if optionWords.isEmpty {
          configFailure("", origin.bytes, ": 'dockadvise-init:' needs a service name and options")
        }
        fileMarkers.append([origin.bytes] + optionWords)
      }
      continue
    }
    origin.add(": ")
    var nameEnd = 0
    while nameEnd < text.count && isNameByte(text[nameEnd]) { nameEnd += 1 }
    guard nameEnd > 0, nameEnd < text.count, text[nameEnd] == UInt8(ascii: ":") else {
      origin.add("expected 'name: command' (a name of letters, digits, '_' and '-'), got '")
      origin.add(text.count > 60 ? Bytes(text[0..<60]) + Text("...").bytes : text)
      configFailure("", origin.bytes, "'")
    }
    let name = Bytes(text[0..<nameEnd])
    let command = trimmed(text[(nameEnd + 1)...])
    origin.add("service '")
    origin.add(name)
    if command.isEmpty { configFailure("", origin.bytes, "' has no command") }
    if services.contains(where: { $0.name == name }) { configFailure("", origin.bytes, "' is defined twice") }
    var service = Service(name: name)
    service.command = command
    services.append(service)
  }
  if services.isEmpty { configFailure("", label, ": no services (expected 'name: command' lines)") }
  markers = fileMarkers + markers
}


/// Applies marker lines and flags (`[origin, name, option…]`, later ones win), the defaults, and checks the result.
func applyServiceOptions(_ services: inout [Service], _ markers: [[Bytes]]) {
  services.withUnsafeMutableBufferPointer { configure($0, markers) }
}

/// The services in place: no copy-on-write checks on each access.
private func configure(_ services: UnsafeMutableBufferPointer<Service>, _ markers: [[Bytes]]) {
  for marker in markers {
    guard let index = services.firstIndex(where: { $0.name == marker[1] }) else {
      var text = marker[0]
      text += Text(": no service '").bytes
      configFailure("", text + marker[1], "' in the Procfile")
    }
    for option in marker.dropFirst(2) where !applyOption(option, to: &services[index], origin: marker[0]) {
      var text = marker[0]
      text += Text(": bad option '").bytes + option + Text("' for ").bytes + marker[1]
      configFailure(
        "", text,
        " (see the service options in dockadvise-init --help)"
      )
    }
  }
  var mainName: Bytes? = nil
  for service in services {
    if service.isMain {
      if let mainName { configFailure("more than one main service: ", mainName + Text(" and ").bytes + service.name) }
      mainName = service.name
      if service.oneshot { configFailure("'", service.name, "' cannot be both main and oneshot") }
    }
    if service.oneshot && service.restart == .always {
      configFailure("oneshot '", service.name, "' cannot restart=always")
    }
  }
  var users = UserDatabase()
  for index in services.indices {
    if !services[index].restartSet && mainName != nil && !services[index].isMain && !services[index].oneshot {
      services[index].restart = .always
    }
    if services[index].backoffMax < services[index].backoffMin {
      services[index].backoffMax = services[index].backoffMin
    }
    services[index].keepsTerminal = services[index].isMain
    services[index].argv = [Text("/bin/sh").bytes, Text("-c").bytes, shellScript(services[index].command)]
    if !services[index].userSpec.isEmpty { users.resolve(&services[index]) }
  }
  resolveDependencies(services)
}

/// `after=` names to indices, plus the implicit order: a oneshot without `after=` waits for the oneshot
/// without `after=` before it, a service without `after=` for all of those. Exits 2 on an unknown name or
/// a cycle; sets each service's level.
func resolveDependencies(_ services: UnsafeMutableBufferPointer<Service>) {
  var lastPlainOneshot = -1
  for index in services.indices where services[index].after.isEmpty {
    if services[index].oneshot {
      if lastPlainOneshot >= 0 { services[index].dependencies = [lastPlainOneshot] }
      lastPlainOneshot = index
    }
  }
  for index in services.indices {
    if services[index].after.isEmpty {
      if !services[index].oneshot && lastPlainOneshot >= 0 { services[index].dependencies = [lastPlainOneshot] }
      continue
    }
    for name in services[index].after {
      guard let dependency = services.firstIndex(where: { $0.name == name }) else {
        var text = services[index].afterOrigin
        text += Text(": ").bytes + services[index].name + Text(" after=").bytes + name
        configFailure("", text, ": no such service in the Procfile")
      }
      if !services[index].dependencies.contains(dependency) { services[index].dependencies.append(dependency) }
    }
  }
  var state = Bytes(repeating: 0, count: services.count)
  var path: [Int] = []
  for index in services.indices { visit(index, services, &state, &path) }
}

/// Depth-first: the level of `index` from its dependencies'; a service met again on the path is a cycle.
private func visit(_ index: Int, _ services: UnsafeMutableBufferPointer<Service>, _ state: inout Bytes, _ path: inout [Int]) {
  if state[index] == 2 { return }
  if state[index] == 1 {
    let last = path[path.count - 1]
    var text = services[last].afterOrigin
    text += Text(": after= makes a cycle: ").bytes
    for position in path[path.firstIndex(of: index)!...] { text += services[position].name + Text(" -> ").bytes }
    configFailure("", text + services[index].name)
  }
  state[index] = 1
  path.append(index)
  var level = 0
  for dependency in services[index].dependencies {
    visit(dependency, services, &state, &path)
    if services[dependency].level + 1 > level { level = services[dependency].level + 1 }
  }
  services[index].level = level
  path.removeLast()
  state[index] = 2
}

/// /etc/passwd and /etc/group, read when a `user=` needs them, parsed by hand: lines of 4 fields or more.
struct UserDatabase {
  var passwd: [[Bytes]] = []
  var group: [[Bytes]] = []

  static func load(_ path: StaticString) -> [[Bytes]] {
    var result: [[Bytes]] = []
    for line in fields(readFile(Text(path).bytes).bytes[...], UInt8(ascii: "\n")) {
      let columns = fields(line[...], UInt8(ascii: ":"))
      if columns.count >= 4 { result.append(columns) }
    }
    return result
  }

  /// Sets the uid, gid, groups and HOME of `user=NAME|UID[:GROUP|GID]`; exits 2 for an unknown name.
  mutating func resolve(_ service: inout Service) {
    if passwd.isEmpty {
      passwd = Self.load("/etc/passwd")
      group = Self.load("/etc/group")
    }
    let parts = fields(service.userSpec[...], UInt8(ascii: ":"))
    let number = parseNumber(parts[0])
    var entry: [Bytes] = []
    for line in passwd where entry.isEmpty && (number != nil ? parseNumber(line[2]) == number : line[0] == parts[0]) {
      entry = line
    }
    if parts.count > 2 || (number == nil && entry.isEmpty) { fail(service, "no such user in /etc/passwd") }
    service.uid = number ?? parseNumber(entry[2]) ?? 0
    // As Docker's --user: a uid that /etc/passwd lacks gets group 0.
    service.gid = entry.isEmpty ? 0 : parseNumber(entry[3]) ?? 0
    if parts.count == 2 {
      var gid = parseNumber(parts[1])
      for line in group where gid == nil && line[0] == parts[1] { gid = parseNumber(line[2]) }
      guard let gid else { fail(service, "no such group in /etc/group") }
      service.gid = gid
    }
    service.groups = [UInt32(truncatingIfNeeded: service.gid)]
    if entry.isEmpty { return }
    for line in group where fields(line[3][...], UInt8(ascii: ",")).contains(entry[0]) {
      if let gid = parseNumber(line[2]), !service.groups.contains(UInt32(gid)) { service.groups.append(UInt32(gid)) }
    }
    if entry.count >= 6 { service.environment.insert(Text("HOME=").bytes + entry[5], at: 0) }
  }

  private func fail(_ service: Service, _ why: StaticString) -> Never {
    var text = service.name
    text += Text(" user=").bytes + service.userSpec + Text(": ").bytes
    configFailure("", text, why)
  }
}

private func isNameByte(_ byte: UInt8) -> Bool {
  (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    || byte == UInt8(ascii: "-")
}

/// Applies one option word; false when it is not a valid option.
private func applyOption(_ option: Bytes, to service: inout Service, origin: Bytes) -> Bool {
  if equals(option, "main") {
    service.isMain = true
    return true
  }
  if equals(option, "oneshot") {
    service.oneshot = true
    return true
  }
  guard let equal = option.firstIndex(of: UInt8(ascii: "=")),
    let key = position(
      of: Bytes(option[..<equal]),
      in: "restart max-restarts backoff backoff-max stop-signal after ready ready-timeout ready-interval user workdir env env-file"
    )
  else { return false }
  let value = Bytes(option[(equal + 1)...])
  switch key {
  case 0:
    guard let policy = position(of: value, in: "never on-failure always") else { return false }
    service.restart = policy == 0 ? .never : policy == 1 ? .onFailure : .always
    service.restartSet = true
  case 1:
    guard let count = parseNumber(value) else { return false }
    service.maxRestarts = count
  case 2, 3, 7, 8:
    guard let duration = parseDuration(value) else { return false }
    if key == 2 {
      service.backoffMin = duration
    } else if key == 3 {
      service.backoffMax = duration
    } else if key == 7 {
      service.readyTimeout = duration
    } else {
      service.readyInterval = duration > 0 ? duration : 1
    }
  case 4:
    guard let signal = Signals.parse(value) else { return false }
    service.stopSignal = signal
  case 5:
    let names = fields(value[...], UInt8(ascii: ","))
    if names.contains(where: { $0.isEmpty }) { return false }
    service.after = names
    service.afterOrigin = origin
  case 6:
    return parseReady(value, into: &service)
  case 9:
    if value.isEmpty { return false }
    service.userSpec = value
  case 10:
    if value.isEmpty { return false }
    service.workdir = value
  case 11:
    guard let equal = value.firstIndex(of: UInt8(ascii: "=")), equal > 0 else { return false }
    service.environment.append(value)
  default:
    let (bytes, failure) = readFile(value)
    if failure != 0 {
      var text = origin
      text += Text(": ").bytes + service.name + Text(" env-file=").bytes + value + Text(": ").bytes
      configFailure("", text + errnoText(failure))
    }
    var lineNumber = 0
    for line in fields(bytes[...], UInt8(ascii: "\n")) {
      lineNumber += 1
      var entry = trimmed(line[...])
      if entry.last == UInt8(ascii: "\r") { entry.removeLast() }
      if entry.isEmpty || entry[0] == UInt8(ascii: "#") { continue }
      guard let equal = entry.firstIndex(of: UInt8(ascii: "=")), equal > 0 else {
        var text = value
        text += Text(":").bytes
        var number = Text()
        number.add(lineNumber)
        configFailure("", text + number.bytes, ": expected KEY=VALUE")
      }
      service.environment.append(entry)
    }
  }
  return true
}

/// `tcp:[HOST:]PORT`, `unix:PATH`, `file:PATH`, `exec:COMMAND`.
private func parseReady(_ value: Bytes, into service: inout Service) -> Bool {
  guard let colon = value.firstIndex(of: UInt8(ascii: ":")), colon + 1 < value.count,
    let kind = position(of: Bytes(value[..<colon]), in: "tcp unix file exec")
  else { return false }
  let target = Bytes(value[(colon + 1)...])
  service.readySpec = value
  service.readyTarget = target
  switch kind {
  case 0:
    var host = Text("127.0.0.1").bytes
    var portText = target
    if let last = target.lastIndex(of: UInt8(ascii: ":")) {
      host = Bytes(target[..<last])
      portText = Bytes(target[(last + 1)...])
      if host.first == UInt8(ascii: "[") && host.last == UInt8(ascii: "]") { host = Bytes(host[1..<(host.count - 1)]) }
    }
    guard let port = parseNumber(portText), port > 0, port < 65536 else { return false }
    var address = sockaddr_storage()
    let hostC = makeCString(host)
    defer { hostC.deallocate() }
    if da_tcp_address(hostC, Int32(port), &address) == 0 { return false }
    service.readyKind = .tcp
    service.readyTarget = host
    service.readyPort = Int32(port)
  case 1: service.readyKind = .unix
  case 2: service.readyKind = .file
  default: service.readyKind = .exec
  }
  return true
}

/// The `/bin/sh -c` script for a Procfile command: `exec COMMAND` for a simple command, so that the
/// service itself is the process that gets signals; the command unchanged when `exec` would break it
/// (lists, pipelines, background jobs, subshells, or a first word that is a shell keyword or a builtin
/// such as `cd`). Either way the whole process group gets the signals.
func shellScript(_ command: Bytes) -> Bytes {
  let start = commandStart(command)
  if needsOwnShell(Bytes(command[start...])) { return command }
  return Bytes(command[..<start]) + Text("exec ").bytes + Bytes(command[start...])
}

/// Where the command word starts, after leading `NAME=value` assignments (`exec` must follow them).
private func commandStart(_ command: Bytes) -> Int {
  var index = 0
  while true {
    var end = index
    while end < command.count && command[end] != UInt8(ascii: "=") && isNameByte(command[end])
      && command[end] != UInt8(ascii: "-")
    {
      end += 1
    }
    guard end > index, end < command.count, command[end] == UInt8(ascii: "="),
      command[index] < UInt8(ascii: "0") || command[index] > UInt8(ascii: "9")
    else { return index }
    // The value: up to unquoted white space.
    var quote: UInt8 = 0
    end += 1
    while end < command.count && (quote != 0 || !isSpace(command[end])) {
      let byte = command[end]
      if quote == 0 && byte == UInt8(ascii: "\\") {
        end += 1
      } else if quote == 0 && (byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"")) {
        quote = byte
      } else if byte == quote {
        quote = 0
      }
      end += 1
    }
    while end < command.count && isSpace(command[end]) { end += 1 }
    if end >= command.count { return end }  // only assignments: nothing to exec
    index = end
  }
}

private let shellWords: StaticString =
  "if then else elif fi do done case esac while until for in function select { } ! [[ cd export set unset . source eval exec trap ulimit umask wait exit readonly shift alias unalias command builtin local return break continue : read getopts type hash jobs fg bg times time"

private func needsOwnShell(_ command: Bytes) -> Bool {
  guard let first = words(command).first, position(of: first, in: shellWords) == nil else { return true }
  var quote: UInt8 = 0
  var depth = 0
  var escaped = false
  var previous: UInt8 = 0x20
  for (index, byte) in command.enumerated() {
    defer { previous = byte }
    if escaped {
      escaped = false
    } else if quote == UInt8(ascii: "'") {
      if byte == quote { quote = 0 }
    } else if byte == UInt8(ascii: "\\") {
      escaped = true
    } else if quote != 0 {
      if byte == quote { quote = 0 }
    } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "`") {
      quote = byte
    } else if byte == UInt8(ascii: "$") && index + 1 < command.count && command[index + 1] == UInt8(ascii: "(") {
      depth += 1
      escaped = true  // skips the "("
    } else if depth > 0 {
      if byte == UInt8(ascii: "(") { depth += 1 }
      if byte == UInt8(ascii: ")") { depth -= 1 }
    } else if byte == UInt8(ascii: "#") && isSpace(previous) {
      return false  // a comment: the rest does not matter
    } else if position(of: [byte], in: "; \n ( ) &") != nil {
      if byte != UInt8(ascii: "&") || (previous != UInt8(ascii: ">") && previous != UInt8(ascii: "<")) { return true }
    } else if byte == UInt8(ascii: "|") && previous != UInt8(ascii: ">") {
      return true
    }
  }
  return false
}

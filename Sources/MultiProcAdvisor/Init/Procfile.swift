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
  let pathC = makeCString(path)
  let fd = da_open_read(pathC)
  var failure: Int32 = fd < 0 ? da_errno() : 0
  var bytes: Bytes = []
  var chunk = Bytes(repeating: 0, count: 8192)
  while failure == 0 {
    let count = chunk.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
    if count == 0 { break }
    if count < 0 {
      if da_errno() != EINTR { failure = da_errno() }
      continue
    }
    bytes += chunk[0..<count]
    if bytes.count > 1 << 20 { configFailure("Procfile '", path, "' is larger than 1 MiB") }
  }
  if fd >= 0 { close(fd) }
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
        let optionWords = words(Bytes(comment[16...]))
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

private func isNameByte(_ byte: UInt8) -> Bool {
  (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
    || byte == UInt8(ascii: "-")
}

/// Applies marker lines and flags (`[origin, name, option…]`, later ones win), the defaults, and checks the result.
func applyServiceOptions(_ services: inout [Service], _ markers: [[Bytes]]) {
  for marker in markers {
    guard let index = services.firstIndex(where: { $0.name == marker[1] }) else {
      var text = marker[0]
      text += Text(": no service '").bytes
      configFailure("", text + marker[1], "' in the Procfile")
    }
    for option in marker.dropFirst(2) where !applyOption(option, to: &services[index]) {
      var text = marker[0]
      text += Text(": bad option '").bytes + option + Text("' for ").bytes + marker[1]
      configFailure(
        "", text,
        " (expected main, oneshot, restart=never|on-failure|always, max-restarts=N, backoff=DURATION, backoff-max=DURATION, stop-signal=SIG)"
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
  for index in services.indices {
    if !services[index].restartSet && mainName != nil && !services[index].isMain && !services[index].oneshot {
      services[index].restart = .always
    }
    if services[index].backoffMax < services[index].backoffMin {
      services[index].backoffMax = services[index].backoffMin
    }
    services[index].keepsTerminal = services[index].isMain
    services[index].argv = [Text("/bin/sh").bytes, Text("-c").bytes, shellScript(services[index].command)]
  }
}

/// Applies one option word; false when it is not a valid option.
private func applyOption(_ option: Bytes, to service: inout Service) -> Bool {
  if equals(option, "main") {
    service.isMain = true
    return true
  }
  if equals(option, "oneshot") {
    service.oneshot = true
    return true
  }
  guard let equal = option.firstIndex(of: UInt8(ascii: "=")),
    let key = position(of: Bytes(option[..<equal]), in: "restart max-restarts backoff backoff-max stop-signal")
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
  case 2, 3:
    guard let duration = parseDuration(value) else { return false }
    if key == 2 { service.backoffMin = duration } else { service.backoffMax = duration }
  default:
    guard let signal = Signals.parse(value) else { return false }
    service.stopSignal = signal
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

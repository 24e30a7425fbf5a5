import CSys

/// Where the init is in its life.
enum Phase {
  /// Running the oneshot tasks, one at a time.
  case starting
  /// The services run (and restart).
  case running
  /// Stop signals sent; waiting up to the grace period.
  case stopping
  /// SIGKILL sent; waiting briefly for the services to be reaped.
  case killing
}

/// Why the init is stopping.
enum StopCause {
  case none, service, signal
}

/// The event loop: starts services, reaps, forwards signals, restarts, stops, exits.
///
/// All catchable signals are blocked and read from a signalfd, so a SIGCHLD cannot slip between
/// `waitpid` and the wait for the next event: it stays pending and makes the fd readable.
final class Supervisor {
  let config: Config
  var services: [Service]
  var phase = Phase.starting
  var oneshotCursor = 0
  var cause = StopCause.none
  var causeStatus: Int32 = 0
  var firstAbnormal: Int32 = -1
  var deadline: Int64 = 0
  var signalFd: Int32 = -1
  let ownPid: Int32
  var orphansReaped = 0
  var prefixWidth = 0
  let devNull: UnsafeMutablePointer<CChar>
  let pollFds: UnsafeMutablePointer<pollfd>
  let infos: UnsafeMutablePointer<signalfd_siginfo>

  init(config: Config) {
    self.config = config
    self.services = config.services
    self.ownPid = getpid()
    self.devNull = makeCString(Text("/dev/null").bytes)
    self.pollFds = .allocate(capacity: 1 + 2 * services.count)
    self.infos = .allocate(capacity: 8)
    for index in services.indices {
      let argv = services[index].argv
      let cArgv = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: argv.count + 1)
      for position in argv.indices { cArgv[position] = makeCString(argv[position]) }
      cArgv[argv.count] = nil
      services[index].cArgv = cArgv
      services[index].delay = services[index].backoffMin
      if services[index].name.count > prefixWidth { prefixWidth = services[index].name.count }
      if config.prefix {
        var fds: (Int32, Int32, Int32, Int32) = (-1, -1, -1, -1)
        if da_pipe(&fds.0, &fds.1) != 0 || da_pipe(&fds.2, &fds.3) != 0 {
          configFailure("cannot create output pipes: ", errnoText(da_errno()))
        }
        (services[index].outRead, services[index].outWrite, services[index].errRead, services[index].errWrite) = fds
        _ = da_set_nonblocking(fds.0)
        _ = da_set_nonblocking(fds.2)
      }
    }
  }

  // MARK: set-up and loop

  func run() -> Never {
    if ownPid != 1 && da_set_child_subreaper() != 0 {
      say(1, "cannot become a child subreaper: ", errnoText(da_errno()))
    }
    if config.parentDeathSignal != 0 { _ = da_set_parent_death_signal(config.parentDeathSignal) }
    var blocked = sigset_t()
    da_fill_signal_set(&blocked)
    // Faults of the init itself stay deliverable: a crash is a crash.
    for signal in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS] { sigdelset(&blocked, signal) }
    sigprocmask(SIG_SETMASK, &blocked, nil)
    // Our own terminal access must never stop us; children get the defaults back.
    _ = da_ignore_signal(SIGTTIN)
    _ = da_ignore_signal(SIGTTOU)
    signalFd = signalfd(-1, &blocked, Int32(SFD_NONBLOCK | SFD_CLOEXEC))
    if signalFd < 0 { configFailure("cannot create a signalfd: ", errnoText(da_errno())) }
    reapAll()  // children inherited across exec, if any
    startNext()

    while true {
      let now = da_now_ms()
      advance(now)
      pollFds[0] = pollfd(fd: signalFd, events: Int16(POLLIN), revents: 0)
      var count = 1
      if config.prefix {
        for service in services {
          pollFds[count] = pollfd(fd: service.outRead, events: Int16(POLLIN), revents: 0)
          pollFds[count + 1] = pollfd(fd: service.errRead, events: Int16(POLLIN), revents: 0)
          count += 2
        }
      }
      if poll(pollFds, nfds_t(count), timeout(now)) <= 0 { continue }  // timeout, or EINTR
      if pollFds[0].revents != 0 { readSignals() }
      for index in 1..<count where pollFds[index].revents != 0 { relay((index - 1) / 2, stderr: index % 2 == 0) }
    }
  }

  /// Due restarts, the end of the grace period, and whether everything has stopped.
  func advance(_ now: Int64) {
    switch phase {
    case .starting, .running:
      for index in services.indices where services[index].restartAt >= 0 && services[index].restartAt <= now {
        services[index].restartAt = -1
        start(index)
        if phase != .starting && phase != .running { return }
      }
    case .stopping:
      killOrphans()
      if everythingStopped() { finish() }
      if now >= deadline { escalate(now) }
    case .killing:
      if !services.contains(where: { $0.pid != 0 }) || now >= deadline { finish() }
    }
  }

  /// Milliseconds until the next timer, or -1 for none.
  func timeout(_ now: Int64) -> Int32 {
    var next: Int64 = -1
    switch phase {
    case .starting, .running:
      for service in services where service.restartAt >= 0 && (next < 0 || service.restartAt < next) {
        next = service.restartAt
      }
    case .stopping:
      // The last member of a group need not be our child: look again now and then.
      next = deadline < now + 100 ? deadline : now + 100
    case .killing:
      next = deadline
    }
    if next < 0 { return -1 }
    return next <= now ? 0 : Int32(next - now)
  }

  // MARK: signals and reaping

  func readSignals() {
    let size = MemoryLayout<signalfd_siginfo>.stride
    while true {
      let count = read(signalFd, infos, 8 * size)
      if count < 0 && da_errno() == EINTR { continue }
      if count <= 0 { return }
      for index in 0..<(count / size) {
        handle(Int32(bitPattern: infos[index].ssi_signo), from: Int32(bitPattern: infos[index].ssi_pid))
      }
    }
  }

  func handle(_ signal: Int32, from sender: Int32) {
    if signal == SIGCHLD {
      reapAll()
      return
    }
    if signal == SIGTTIN || signal == SIGTTOU { return }
    if signal == SIGPIPE && sender == ownPid { return }  // our own write to a closed pipe
    if (signal == SIGTERM || signal == SIGINT) && (phase == .starting || phase == .running) {
      let count = beginStop(.signal, signal: signal, trigger: -1)
      say(1, "got ", Signals.name(signal), ", stopping ", countText(count))
      if everythingStopped() { finish() }
      return
    }
    var count = 0
    for index in services.indices where send(index, signal) { count += 1 }
    say(1, "forwarded ", Signals.name(signal), " to ", countText(count))
  }

  func reapAll() {
    var raw: Int32 = 0
    while true {
      let pid = waitpid(-1, &raw, WNOHANG)
      if pid > 0 {
        if let index = services.firstIndex(where: { $0.pid == pid }) {
          services[index].pid = 0
          serviceEnded(index, raw: raw)
        } else {
          orphansReaped += 1
        }
      } else if pid == 0 || da_errno() != EINTR {
        return
      }
    }
  }

  // MARK: starting

  /// Starts the next oneshot, or all the services once the oneshots are done.
  func startNext() {
    while oneshotCursor < services.count {
      if services[oneshotCursor].oneshot && !services[oneshotCursor].finished {
        start(oneshotCursor)
        return
      }
      oneshotCursor += 1
    }
    phase = .running
    var any = false
    for index in services.indices where !services[index].oneshot {
      any = true
      start(index)
      if phase != .running { return }
    }
    if !any {
      say(1, "the oneshots finished and there is nothing else to run")
      finish()
    }
  }

  /// Forks and execs a service in its own process group; a failed fork counts as an exit with 1.
  func start(_ index: Int) {
    let pid = fork()
    if pid == 0 { execChild(services[index]) }
    if pid < 0 {
      say(0, "cannot start ", services[index].name, ": fork: ", errnoText(da_errno()))
      serviceEnded(index, raw: 1 << 8)
      return
    }
    _ = setpgid(pid, pid)  // the child does it too: whichever runs first wins the race
    let old = services[index].group
    if old != 0 && groupAlive(old) { services[index].strayGroup = old }
    services[index].pid = pid
    services[index].group = pid
    services[index].startedAt = da_now_ms()
    var text = Text()
    text.add(pid)
    say(1, "started ", services[index].name, " (pid ", text.bytes, ")")
  }

  /// In the forked child: own process group, terminal, stdio, default signal state, exec.
  func execChild(_ service: Service) -> Never {
    _ = setpgid(0, 0)
    if service.keepsTerminal {
      // SIGTTOU is still ignored here, so a background group may take the foreground.
      if isatty(0) != 0 { _ = tcsetpgrp(0, getpid()) }
    } else {
      let fd = da_open_read(devNull)
      if fd >= 0 { _ = dup2(fd, 0) }
    }
    if service.outWrite >= 0 {
      _ = dup2(service.outWrite, 1)
      _ = dup2(service.errWrite, 2)
    }
    _ = da_default_signal(SIGTTIN)
    _ = da_default_signal(SIGTTOU)
    var none = sigset_t()
    sigemptyset(&none)
    sigprocmask(SIG_SETMASK, &none, nil)
    let argv = service.cArgv!
    execvp(argv[0]!, argv)
    let code = da_errno()
    complain("cannot run '", service.argv[0] + Text("': ").bytes + errnoText(code))
    _exit(code == ENOENT ? 127 : 126)
  }

  // MARK: a service ended

  /// A service's main process ended with wait status `raw` (or could not be started: exit 1).
  func serviceEnded(_ index: Int, raw: Int32) {
    let status = da_shell_status(raw)
    services[index].status = status
    let service = services[index]
    if phase == .stopping || phase == .killing {
      let sent = service.sentSignal
      if cause == .signal && status != 0 && (sent == 0 || status != 128 + sent) && firstAbnormal < 0 {
        firstAbnormal = status
      }
      say(1, "", service.name, outcome(raw))
      return
    }
    if service.oneshot && status == 0 {
      services[index].finished = true
      say(1, "", service.name, [], " finished")
      oneshotCursor = index + 1
      startNext()
      return
    }
    let now = da_now_ms()
    var gaveUp = false
    if service.restart == .always || (service.restart == .onFailure && status != 0) {
      if now - service.startedAt >= service.backoffMax {
        services[index].restartsInRow = 0
        services[index].delay = service.backoffMin
      }
      let done = services[index].restartsInRow
      if service.maxRestarts < 0 || done < service.maxRestarts {
        let delay = services[index].delay
        services[index].restartsInRow = done + 1
        services[index].restartAt = now + delay
        services[index].delay = delay * 2 > service.backoffMax ? service.backoffMax : delay * 2
        var text = Text(", restarting in ")
        text.add(milliseconds: delay)
        if service.maxRestarts >= 0 {
          text.add(" (")
          text.add(done + 1)
          text.add(" of ")
          text.add(service.maxRestarts)
          text.add(")")
        }
        say(0, "", service.name, outcome(raw) + text.bytes)
        return
      }
      gaveUp = true
    }
    causeStatus = status
    let count = beginStop(.service, signal: SIGTERM, trigger: index)
    var text = Text()
    text.add(outcome(raw))
    if gaveUp {
      text.add(" after ")
      text.add(service.maxRestarts)
      text.add(" restarts")
    }
    if service.oneshot {
      text.add(", not starting the services")
    } else if count > 0 {
      text.add(", stopping ")
      text.add(countText(count))
    }
    say(config.single ? 1 : 0, "", service.name, text.bytes)
    if everythingStopped() { finish() }
  }

  // MARK: stopping

  /// Sends each service its stop signal (default `signal`), cancels restarts, starts the grace period.
  /// Returns how many services other than `trigger` were running.
  func beginStop(_ why: StopCause, signal: Int32, trigger: Int) -> Int {
    phase = .stopping
    cause = why
    deadline = da_now_ms() + config.graceMs
    var count = 0
    for index in services.indices {
      services[index].restartAt = -1
      let stop = services[index].stopSignal != 0 ? services[index].stopSignal : signal
      let running = services[index].pid != 0
      if send(index, stop) {
        services[index].sentSignal = stop
        if running && index != trigger { count += 1 }
      }
    }
    return count
  }

  /// Sends `signal` to a service's process groups (or its main process); false when nothing was there.
  func send(_ index: Int, _ signal: Int32) -> Bool {
    let stray = services[index].strayGroup
    if stray != 0 && kill(0 - stray, signal) != 0 { services[index].strayGroup = 0 }
    let group = services[index].group
    if group != 0 {
      if kill(0 - group, signal) == 0 { return true }
      if services[index].pid == 0 { services[index].group = 0 }
    }
    let pid = services[index].pid
    return pid != 0 && kill(pid, signal) == 0
  }

  func groupAlive(_ group: Int32) -> Bool {
    group != 0 && (kill(0 - group, 0) == 0 || da_errno() == EPERM)
  }

  /// Whether every service's main process was reaped and its process groups are empty.
  func everythingStopped() -> Bool {
    for index in services.indices {
      if services[index].pid != 0 || groupAlive(services[index].group) || groupAlive(services[index].strayGroup) {
        return false
      }
    }
    return true
  }

  /// Processes left in the group of a service whose main process is gone get the stop signal (sent to
  /// the whole group) and then, `orphanGraceMs` later, SIGKILL: their leader can no longer stop them, and
  /// orphaned workers often ignore TERM (a SIGKILLed Apache's do), so waiting out the whole grace period
  /// would only delay the exit (5.3 s measured in Fixtures/e2e).
  func killOrphans() {
    let now = da_now_ms()
    for index in services.indices where services[index].pid == 0 {
      let service = services[index]
      guard groupAlive(service.group) || groupAlive(service.strayGroup) else { continue }
      if service.orphanDeadline < 0 {
        services[index].orphanDeadline = now + Self.orphanGraceMs
        continue
      }
      guard now >= service.orphanDeadline else { continue }
      if !service.orphansKilled {
        services[index].orphansKilled = true
        say(1, "killing the processes left by ", service.name)
      }
      _ = send(index, SIGKILL)
    }
  }

  /// How long processes left by a service whose main process ended get to act on the stop signal.
  static let orphanGraceMs: Int64 = 200

  /// The grace period is over: SIGKILL whatever is left.
  func escalate(_ now: Int64) {
    for index in services.indices {
      let service = services[index]
      guard service.pid != 0 || groupAlive(service.group) || groupAlive(service.strayGroup) else { continue }
      var text = Text(" did not stop within ")
      text.add(milliseconds: config.graceMs)
      if service.pid == 0 {
        say(0, "processes left by ", service.name, text.bytes, ", killing them")
      } else {
        say(0, "", service.name, text.bytes, ", killing it")
      }
      _ = send(index, SIGKILL)
    }
    if ownPid == 1 { _ = kill(-1, SIGKILL) }  // everything else in the PID namespace
    phase = .killing
    deadline = now + 2000
  }

  /// Flushes output and exits with the status the stop cause calls for.
  func finish() -> Never {
    if config.prefix {
      for index in services.indices {
        relay(index, stderr: false)
        relay(index, stderr: true)
        if !services[index].outPending.isEmpty { emit(index, stderr: false) }
        if !services[index].errPending.isEmpty { emit(index, stderr: true) }
      }
    }
    var status: Int32 = 0
    if config.single {
      status = services[0].status >= 0 ? services[0].status : 128 + SIGKILL
    } else if cause == .service {
      status = causeStatus
    } else if cause == .signal {
      status = firstAbnormal >= 0 ? firstAbnormal : services.contains(where: { $0.pid != 0 }) ? 128 + SIGKILL : 0
    }
    if config.zeroCodes.contains(UInt8(truncatingIfNeeded: status)) { status = 0 }
    var text = Text()
    text.add(status)
    text.add(" (reaped ")
    text.add(orphansReaped)
    say(1, "exiting with ", text.bytes, [], " orphans)")
    exit(status)
  }

  // MARK: output

  /// Reads what a service's stdout or stderr pipe has and writes it out line by line, prefixed.
  func relay(_ index: Int, stderr: Bool) {
    var buffer = Bytes(repeating: 0, count: 4096)
    let fd = stderr ? services[index].errRead : services[index].outRead
    while true {
      let count = buffer.withUnsafeMutableBufferPointer { read(fd, $0.baseAddress, $0.count) }
      if count < 0 && da_errno() == EINTR { continue }
      if count <= 0 { return }
      for byte in buffer[0..<count] {
        if stderr { services[index].errPending.append(byte) } else { services[index].outPending.append(byte) }
        let pending = stderr ? services[index].errPending.count : services[index].outPending.count
        if byte == UInt8(ascii: "\n") || pending >= 4096 { emit(index, stderr: stderr) }
      }
    }
  }

  @inline(never)
  func emit(_ index: Int, stderr: Bool) {
    var line = Text()
    line.add(services[index].name)
    for _ in services[index].name.count..<prefixWidth { line.add(byte: UInt8(ascii: " ")) }
    line.add(" | ")
    line.add(stderr ? services[index].errPending : services[index].outPending)
    if line.bytes.last != UInt8(ascii: "\n") { line.add(byte: UInt8(ascii: "\n")) }
    if stderr {
      services[index].errPending.removeAll(keepingCapacity: true)
    } else {
      services[index].outPending.removeAll(keepingCapacity: true)
    }
    writeAll(stderr ? 2 : 1, line.bytes)
  }

  // MARK: messages

  /// Writes `dockadvise-init: A B C D` to stderr when the verbosity is at least `level`.
  @inline(never)
  func say(_ level: Int, _ first: StaticString, _ second: Bytes = [], _ third: Bytes = [], _ fourth: StaticString = "")
  {
    guard config.verbosity >= level else { return }
    complain(first, second + third, fourth)
  }

  @inline(never)
  func say(_ level: Int, _ first: StaticString, _ second: Bytes, _ third: StaticString, _ fourth: Bytes) {
    guard config.verbosity >= level else { return }
    var text = second
    text += Text(third).bytes
    complain(first, text + fourth)
  }

  @inline(never)
  func say(
    _ level: Int, _ first: StaticString, _ second: Bytes, _ third: StaticString, _ fourth: Bytes, _ last: StaticString
  ) {
    guard config.verbosity >= level else { return }
    var text = second
    text += Text(third).bytes
    complain(first, text + fourth, last)
  }

  /// ` exited with 7` or ` was killed by SIGKILL`.
  func outcome(_ raw: Int32) -> Bytes {
    var text = Text()
    if da_signaled(raw) != 0 {
      text.add(" was killed by ")
      text.add(Signals.name(da_term_signal(raw)))
    } else {
      text.add(" exited with ")
      text.add(da_shell_status(raw))
    }
    return text.bytes
  }

  func countText(_ count: Int) -> Bytes {
    var text = Text()
    text.add(count)
    text.add(count == 1 ? " service" : " services")
    return text.bytes
  }
}

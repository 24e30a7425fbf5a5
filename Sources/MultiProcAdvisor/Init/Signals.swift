import CSys

/// Signal names and numbers, from the platform's own constants.
enum Signals {
  /// Names without `SIG`, in the order of `numbers`.
  static let names: StaticString =
    "HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS"
  static let numbers: [Int32] = [
    SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE,
    SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ,
    SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR, SIGSYS,
  ]

  /// Parses `TERM`, `SIGTERM`, `15`, `RTMIN`, `RTMIN+2`, `SIGRTMAX-1`; nil for anything else or for 0.
  static func parse(_ text: Bytes) -> Int32? {
    var name = text
    if hasPrefix(name, "SIG") { name.removeFirst(3) }
    if let number = parseNumber(name) {
      return number > 0 && number < Int(da_nsig()) ? Int32(number) : nil
    }
    if let index = position(of: name, in: names) { return numbers[index] }
    let rtmin = da_sigrtmin()
    let rtmax = da_sigrtmax()
    guard name.count >= 5 else { return nil }
    guard let base = position(of: Bytes(name[0..<5]), in: "RTMIN RTMAX") else { return nil }
    var value = base == 0 ? rtmin : rtmax
    if name.count > 5 {
      guard name.count > 6, let offset = parseNumber(Bytes(name[6...])) else { return nil }
      if name[5] == UInt8(ascii: "+") {
        value += Int32(offset)
      } else if name[5] == UInt8(ascii: "-") {
        value -= Int32(offset)
      } else {
        return nil
      }
    }
    return value >= rtmin && value <= rtmax ? value : nil
  }

  /// `SIGTERM`, `SIGRTMIN+2`, or the number.
  static func name(_ number: Int32) -> Bytes {
    var text = Text("SIG")
    if let index = numbers.firstIndex(of: number) {
      text.add(word(at: index, in: names))
    } else if number >= da_sigrtmin() && number <= da_sigrtmax() {
      text.add("RTMIN+")
      text.add(number - da_sigrtmin())
    } else {
      text = Text()
      text.add(number)
    }
    return text.bytes
  }
}

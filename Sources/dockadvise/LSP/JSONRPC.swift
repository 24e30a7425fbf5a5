import DockerfileParser

/// JSON-RPC 2.0 as LSP uses it: requests, notifications, responses, and the error codes.
enum JSONRPC {
  enum ErrorCode: Int {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestCancelled = -32800
  }

  /// One message from the client.
  enum Incoming {
    case request(id: JSONWriter.Value, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// The client's answer to a request the server sent (ignored).
    case response(id: JSONWriter.Value)
    /// Not a valid message: what to answer (always with an error).
    case invalid(id: JSONWriter.Value, code: ErrorCode, message: String)
  }

  static func parse(_ body: [UInt8]) -> Incoming {
    let value: JSONValue
    switch JSONParser.parse(body, maxDepth: 512) {
    case .success(let parsed): value = parsed
    case .failure(let error): return .invalid(id: .null, code: .parseError, message: "parse error: \(error)")
    }
    guard value.kind == .object else {
      return .invalid(id: .null, code: .invalidRequest, message: value.kind == .array ? "batches are not supported" : "a message must be an object")
    }
    var id: JSONWriter.Value?
    if let raw = value["id"] {
      guard let converted = requestID(raw) else { return .invalid(id: .null, code: .invalidRequest, message: "id must be a number or a string") }
      id = converted
    }
    if let version = value["jsonrpc"], version.string != "2.0" {
      return .invalid(id: id ?? .null, code: .invalidRequest, message: "jsonrpc must be \"2.0\"")
    }
    guard let methodValue = value["method"] else {
      if let id, value["result"] != nil || value["error"] != nil { return .response(id: id) }
      return .invalid(id: id ?? .null, code: .invalidRequest, message: "a request needs a method")
    }
    guard let method = methodValue.string else { return .invalid(id: id ?? .null, code: .invalidRequest, message: "method must be a string") }
    let params = value["params"].flatMap { $0.isNull ? nil : $0 }
    if let params, params.kind != .object && params.kind != .array {
      return .invalid(id: id ?? .null, code: .invalidRequest, message: "params must be an object or an array")
    }
    if let id { return .request(id: id, method: method, params: params) }
    return .notification(method: method, params: params)
  }

  static func requestID(_ raw: JSONValue) -> JSONWriter.Value? {
    if let text = raw.string { return .string(text) }
    if let number = raw.numberText {
      if let integer = Int(number) { return .int(integer) }
      if let double = Double(number) { return .double(double) }
    }
    if raw.isNull { return .null }
    return nil
  }

  static func encode(_ value: JSONWriter.Value) -> [UInt8] {
    var bytes = JSONWriter(indent: nil).write(value)
    if bytes.last == 0x0A { bytes.removeLast() }
    return bytes
  }

  static func result(_ id: JSONWriter.Value, _ result: JSONWriter.Value) -> [UInt8] {
    encode(.object([("jsonrpc", .string("2.0")), ("id", id), ("result", result)]))
  }

  static func error(_ id: JSONWriter.Value, _ code: ErrorCode, _ message: String) -> [UInt8] {
    encode(.object([("jsonrpc", .string("2.0")), ("id", id), ("error", .object([("code", .int(code.rawValue)), ("message", .string(message))]))]))
  }

  static func notification(_ method: String, _ params: JSONWriter.Value) -> [UInt8] {
    encode(.object([("jsonrpc", .string("2.0")), ("method", .string(method)), ("params", params)]))
  }

  static func request(_ id: Int, _ method: String, _ params: JSONWriter.Value) -> [UInt8] {
    encode(.object([("jsonrpc", .string("2.0")), ("id", .int(id)), ("method", .string(method)), ("params", params)]))
  }
}

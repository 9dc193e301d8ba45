/// A parsed JSON document: configuration files, manifests, fixtures.
///
/// Objects keep their key order (so a config round-trips and errors can name keys in file order);
/// numbers keep their literal text so exchange rates stay exact.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || Double(x) == Double(y)
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var doubleValue: Double? {
        if case .number(let s) = self { return Double(s) }
        return nil
    }
    /// Whether this is a number whose text is not zero but reads as 0 (`1e-400000`, below the
    /// smallest double): taken as read, it would silently become zero.
    public var underflowsToZero: Bool {
        guard case .number(let s) = self, Double(s) == 0 else { return false }
        let mantissa = s.prefix { $0 != "e" && $0 != "E" }
        return mantissa.contains { $0 >= "1" && $0 <= "9" }
    }
    /// What is wrong with a number that `underflowsToZero`, after the number.
    static let underflowMessage = "is too close to zero to be read (it would read as 0)"
    public var intValue: Int? {
        if case .number(let s) = self {
            return Int(s) ?? Double(s).flatMap { $0 == $0.rounded() && abs($0) < 9e15 ? Int($0) : nil }
        }
        return nil
    }
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    public var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
    public var objectValue: [(String, JSONValue)]? {
        if case .object(let o) = self { return o }
        return nil
    }
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// A short name of the value's type for error messages ("a string", "an object").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Where and why a JSON text could not be parsed.
public struct JSONParseError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict RFC 8259 parser over bytes, for documents small enough to hold (not the JSONL hot path).
public struct JSONParser {
    private let b: [UInt8]
    private var i = 0
    private var depth = 0

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var p = JSONParser(b: bytes)
        p.skipSpace()
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.b.count else { throw p.error("unexpected text after the JSON value") }
        return v
    }

    public static func parse(_ text: String) throws -> JSONValue { try parse(Array(text.utf8)) }

    private init(b: [UInt8]) {
        // A UTF-8 byte order mark is tolerated.
        if b.starts(with: [0xEF, 0xBB, 0xBF]) { self.b = Array(b.dropFirst(3)) } else { self.b = b }
    }

    private func error(_ message: String) -> JSONParseError {
        var line = 1
        var col = 1
        for k in 0..<min(i, b.count) {
            if b[k] == 10 {
                line += 1
                col = 1
            } else {
                col += 1
            }
        }
        return JSONParseError(line: line, column: col, message: message)
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 32 || b[i] == 10 || b[i] == 13 || b[i] == 9 { i += 1 }
    }

    private mutating func value() throws -> JSONValue {
        guard i < b.count else { throw error("unexpected end of input; expected a value") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), 48...57: return .number(try number())
        default: throw error("unexpected character '\(Character(Unicode.Scalar(b[i])))'; expected a value")
        }
    }

    private mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard i + w.count <= b.count, Array(b[i..<i + w.count]) == w else {
            throw error("invalid literal; expected \(word)")
        }
        i += w.count
    }

    private mutating func object() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var pairs: [(String, JSONValue)] = []
        // Keys seen so far, for the duplicate check: a scan while the object is small, a set
        // from 8 keys on, so a 40,000-key object is checked in linear time.
        var seen = Set<String>()
        if try isEmpty(closedBy: "}") { return .object(pairs) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let k = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(k)\"") }
            i += 1
            skipSpace()
            let v = try value()
            let duplicate: Bool
            if pairs.count < 8 {
                duplicate = pairs.contains { $0.0 == k }
            } else {
                if seen.isEmpty { seen = Set(pairs.map(\.0)) }
                duplicate = !seen.insert(k).inserted
            }
            if duplicate { throw error("duplicate key \"\(k)\"") }
            pairs.append((k, v))
            if try !another(closedBy: "}", in: "an object") { return .object(pairs) }
        }
    }

    /// Steps into the container at `i` (its opening bracket), counting the nesting.
    private mutating func enter() throws {
        depth += 1
        guard depth < 512 else { throw error("nesting too deep") }
        i += 1
    }

    /// Whether the container just opened ends at once (consuming `close`).
    private mutating func isEmpty(closedBy close: Unicode.Scalar) throws -> Bool {
        skipSpace()
        guard i < b.count, b[i] == UInt8(ascii: close) else { return false }
        i += 1
        return true
    }

    /// After an element of `container` (named for messages): true at a comma (another element
    /// follows), false at `close` (the container ends); both consumed.
    private mutating func another(closedBy close: Unicode.Scalar, in container: String) throws -> Bool {
        skipSpace()
        guard i < b.count else { throw error("unexpected end of input inside \(container)") }
        if b[i] == UInt8(ascii: ",") {
            i += 1
            return true
        }
        guard b[i] == UInt8(ascii: close) else { throw error("expected ',' or '\(close)' in \(container)") }
        i += 1
        return false
    }

    private mutating func array() throws -> JSONValue {
        try enter()
        defer { depth -= 1 }
        var items: [JSONValue] = []
        if try isEmpty(closedBy: "]") { return .array(items) }
        while true {
            skipSpace()
            items.append(try value())
            if try !another(closedBy: "]", in: "an array") { return .array(items) }
        }
    }

    private mutating func number() throws -> String {
        let start = i
        if b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, b[i] >= 48, b[i] <= 57 else { throw error("invalid number") }
        if b[i] == 48 { i += 1 } else { while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 } }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, b[i] >= 48, b[i] <= 57 else { throw error("invalid number: digits expected after '.'") }
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, b[i] >= 48, b[i] <= 57 else { throw error("invalid number exponent") }
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    private mutating func string() throws -> String {
        i += 1
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\"), b[i] >= 0x20 { i += 1 }
        if i < b.count, b[i] == UInt8(ascii: "\"") {
            guard let s = String(validating: b[start..<i], as: UTF8.self) else {
                throw error("invalid UTF-8 in string")
            }
            i += 1
            return s
        }
        i = start
        var j = i
        let snapshot = self
        defer { i = j }
        return try JSONStringDecoder.decode(
            b, &j,
            onError: { message in
                snapshot.error(message)
            })
    }
}

/// Decodes the body of a JSON string starting after its opening quote, handling escapes.
enum JSONStringDecoder {
    static func decode<C: RandomAccessCollection>(_ b: C, _ i: inout C.Index, onError: (String) -> Error) throws
        -> String
    where C.Element == UInt8 {
        var out: [UInt8] = []
        while i < b.endIndex {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                b.formIndex(after: &i)
                guard let s = String(validating: out, as: UTF8.self) else { throw onError("invalid UTF-8 in string") }
                return s
            }
            if c < 0x20 { throw onError("control character in string; escape it") }
            if c != UInt8(ascii: "\\") {
                out.append(c)
                b.formIndex(after: &i)
                continue
            }
            b.formIndex(after: &i)
            guard i < b.endIndex else { break }
            let e = b[i]
            b.formIndex(after: &i)
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                func hex4() throws -> UInt32 {
                    var v: UInt32 = 0
                    for _ in 0..<4 {
                        guard i < b.endIndex else { throw onError("truncated \\u escape") }
                        let h = b[i]
                        b.formIndex(after: &i)
                        switch h {
                        case 48...57: v = v * 16 + UInt32(h - 48)
                        case 65...70: v = v * 16 + UInt32(h - 55)
                        case 97...102: v = v * 16 + UInt32(h - 87)
                        default: throw onError("invalid \\u escape")
                        }
                    }
                    return v
                }
                var cp = try hex4()
                if cp >= 0xD800, cp < 0xDC00 {
                    guard i < b.endIndex, b[i] == UInt8(ascii: "\\") else {
                        throw onError("unpaired surrogate in \\u escape")
                    }
                    b.formIndex(after: &i)
                    guard i < b.endIndex, b[i] == UInt8(ascii: "u") else {
                        throw onError("unpaired surrogate in \\u escape")
                    }
                    b.formIndex(after: &i)
                    let lo = try hex4()
                    guard lo >= 0xDC00, lo < 0xE000 else { throw onError("unpaired surrogate in \\u escape") }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00)
                } else if cp >= 0xDC00, cp < 0xE000 {
                    throw onError("unpaired surrogate in \\u escape")
                }
                guard let scalar = Unicode.Scalar(cp) else { throw onError("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            default: throw onError("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        throw onError("unterminated string")
    }
}

extension JSONValue {
    /// A finite number written as the stage outputs write numbers (`JSONLineBuilder.double`:
    /// `1.0`, `0.25`), or null.
    static func number(formatting d: Double?) -> JSONValue {
        guard let d, d.isFinite else { return .null }
        let b = JSONLineBuilder()
        b.double(d)
        return .number(String(decoding: b.bytes, as: UTF8.self))
    }
}

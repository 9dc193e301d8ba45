/// Builds one JSON object (a JSON Lines row) straight into bytes, keys in the order written.
///
/// No `Encodable`, no intermediate dictionaries: stages write millions of rows, so each value is
/// appended as bytes. Doubles use Swift's shortest round-trip form (deterministic); NaN and
/// infinities become `null`.
public struct JSONLineBuilder {
    public var bytes: [UInt8] = []
    /// Bit d set: the container at depth d has no element yet (nesting up to 64 levels).
    @usableFromInline var firstBits: UInt64 = 0
    @usableFromInline var depth: Int = 0

    public init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    @inlinable public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        firstBits = 0
        depth = 0
        pendingKey = false
    }

    @inlinable public mutating func beginObject() { separate(); bytes.append(UInt8(ascii: "{")); open() }
    @inlinable public mutating func endObject() { bytes.append(UInt8(ascii: "}")); depth -= 1 }
    @inlinable public mutating func beginArray() { separate(); bytes.append(UInt8(ascii: "[")); open() }
    @inlinable public mutating func endArray() { bytes.append(UInt8(ascii: "]")); depth -= 1 }

    @inlinable mutating func open() {
        depth += 1
        firstBits |= 1 << UInt64(depth & 63)
    }

    /// Writes a key; the next value call writes its value.
    /// Keys written as literals take this path: no escaping scan, no String. (The `String`
    /// overload is disfavoured so that `key("mrr_minor")` resolves here.)
    @inlinable public mutating func key(_ k: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        k.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        pendingKey = true
    }

    @_disfavoredOverload
    @inlinable public mutating func key(_ k: String) {
        separate()
        appendQuoted(k)
        bytes.append(UInt8(ascii: ":"))
        pendingKey = true
    }

    @usableFromInline var pendingKey = false

    @inlinable mutating func separate() {
        if pendingKey { pendingKey = false; return }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth & 63)
        if firstBits & bit != 0 { firstBits &= ~bit } else { bytes.append(UInt8(ascii: ",")) }
    }

    @inlinable public mutating func string(_ s: String) { separate(); appendQuoted(s) }
    @inlinable public mutating func string(_ s: String?) { if let s { string(s) } else { null() } }
    @inlinable public mutating func null() { separate(); appendLiteral("null") }
    @inlinable public mutating func bool(_ v: Bool) {
        separate()
        if v { appendLiteral("true") } else { appendLiteral("false") }
    }

    @inlinable mutating func appendLiteral(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    @inlinable public mutating func int<I: BinaryInteger>(_ v: I) { separate(); JSONLineBuilder.appendInt(Int64(v), to: &bytes) }
    @inlinable public mutating func int<I: BinaryInteger>(_ v: I?) { if let v { int(v) } else { null() } }

    @inlinable public mutating func double(_ v: Double?) {
        guard let v, v.isFinite else { null(); return }
        separate()
        if v == v.rounded(), abs(v) < 1e15 {
            // Whole numbers keep one decimal so the field's type reads as a ratio: 1.0, 0.0.
            JSONLineBuilder.appendInt(Int64(v), to: &bytes)
            appendLiteral(".0")
        } else {
            bytes.append(contentsOf: v.description.utf8)
        }
    }

    @inlinable public mutating func day(_ d: Day?) {
        guard let d else { null(); return }
        separate()
        bytes.append(UInt8(ascii: "\""))
        d.appendISO(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    @inlinable public mutating func month(_ m: Month?) {
        guard let m else { null(); return }
        separate()
        bytes.append(UInt8(ascii: "\""))
        m.appendISO(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends already-serialized JSON (for example a value copied from an input row).
    @inlinable public mutating func raw<C: Collection>(_ json: C) where C.Element == UInt8 { separate(); bytes.append(contentsOf: json) }

    /// Appends a JSON value.
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): separate(); bytes.append(contentsOf: n.utf8)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { value(item) }
            endArray()
        case .object(let pairs):
            beginObject()
            for (k, item) in pairs { key(k); value(item) }
            endObject()
        }
    }

    @inlinable public static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        if v == 0 { out.append(48); return }
        var m = v.magnitude
        if v < 0 { out.append(45) }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while m > 0 { buf[n] = UInt8(48 + m % 10); m /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(buf[k]) }
        }
    }

    @inlinable mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { JSONLineBuilder.appendEscaped($0, to: &bytes) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes with JSON string escaping (quote, backslash, control characters).
    @inlinable public static func appendEscaped(_ u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var start = 0
        for i in 0..<u.count {
            let c = u[i]
            if c >= 0x20, c != 0x22, c != 0x5C { continue }
            if start < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i])) }
            start = i + 1
            switch c {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            }
        }
        if start < u.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<u.count])) }
    }
}

extension JSONValue {
    /// Serializes the value: compact, or pretty with two-space indentation (manifests, summary).
    public func serialized(pretty: Bool = false) -> String {
        var out: [UInt8] = []
        JSONValue.write(self, to: &out, pretty: pretty, indent: 0)
        if pretty { out.append(10) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ v: JSONValue, to out: inout [UInt8], pretty: Bool, indent: Int) {
        func newline(_ n: Int) {
            guard pretty else { return }
            out.append(10)
            out.append(contentsOf: repeatElement(32, count: n * 2))
        }
        switch v {
        case .array(let items) where !items.isEmpty:
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                write(item, to: &out, pretty: pretty, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "]"))
        case .object(let pairs) where !pairs.isEmpty:
            out.append(UInt8(ascii: "{"))
            for (k, (key, item)) in pairs.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                var b = JSONLineBuilder()
                b.string(key)
                out.append(contentsOf: b.bytes)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(32) }
                write(item, to: &out, pretty: pretty, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        default:
            var b = JSONLineBuilder()
            b.value(v)
            out.append(contentsOf: b.bytes)
        }
    }
}

/// Builds one JSON object (a JSON Lines row) straight into bytes, keys in the order written.
///
/// No `Encodable`, no intermediate dictionaries: stages write millions of rows, so each value is
/// appended as bytes into the builder, a `ByteBuffer` (a class, so a writer's builder is never
/// copied and an append is a capacity check and a store). Doubles use Swift's shortest
/// round-trip form (deterministic); NaN and infinities become `null`.
public final class JSONLineBuilder: ByteBuffer {
    /// Bit d set: the container at depth d has no element yet (nesting up to 64 levels).
    @usableFromInline var firstBits: UInt64 = 0
    @usableFromInline var depth: Int = 0
    @usableFromInline var pendingKey = false
    /// The record codec's table states for the types this one met last.
    var recordTables = RecordTableCache()

    public override init(capacity: Int = 256) {
        super.init(capacity: capacity)
    }

    @inlinable public func reset() { startRow(at: 0) }

    /// Starts a line at byte `offset`, keeping the bytes before it (a writer's earlier rows):
    /// anything after them is dropped and the nesting starts afresh.
    @inlinable public func startRow(at offset: Int) {
        count = offset
        firstBits = 0
        depth = 0
        pendingKey = false
    }

    @inlinable public func beginObject() { open(UInt8(ascii: "{")) }
    @inlinable public func endObject() { close(UInt8(ascii: "}")) }
    @inlinable public func beginArray() { open(UInt8(ascii: "[")) }
    @inlinable public func endArray() { close(UInt8(ascii: "]")) }

    /// Ends the line: appends the newline.
    @inlinable public func newline() { append(10) }

    /// Starts a container after the previous element: its bracket, one level deeper, still empty.
    @inlinable func open(_ bracket: UInt8) {
        separate()
        append(bracket)
        depth += 1
        firstBits |= 1 << UInt64(depth & 63)
    }

    /// Ends the innermost container with its bracket.
    @inlinable func close(_ bracket: UInt8) {
        append(bracket)
        depth -= 1
    }

    /// Writes a key; the next value call writes its value.
    /// Keys written as literals take this path: no escaping scan, no String. (The `String`
    /// overload is disfavoured so that `key("mrr_minor")` resolves here.)
    @inlinable @inline(__always) public func key(_ k: StaticString) {
        separate()
        reserve(k.utf8CodeUnitCount + 3)
        base[count] = UInt8(ascii: "\"")
        (base + count + 1).update(from: k.utf8Start, count: k.utf8CodeUnitCount)
        count += k.utf8CodeUnitCount + 1
        base[count] = UInt8(ascii: "\"")
        base[count + 1] = UInt8(ascii: ":")
        count += 2
        pendingKey = true
    }

    @_disfavoredOverload
    @inlinable public func key(_ k: String) {
        separate()
        appendQuoted(k)
        append(UInt8(ascii: ":"))
        pendingKey = true
    }

    /// A key given as its UTF-8 bytes, written as `key(_:)` writes the `String` holding them.
    @inline(__always) func key(_ k: UTF8Text) {
        k.write(to: self)
        append(UInt8(ascii: ":"))
        pendingKey = true
    }

    @inlinable @inline(__always) func separate() {
        if pendingKey {
            pendingKey = false
            return
        }
        guard depth > 0 else { return }
        let bit: UInt64 = 1 << UInt64(depth & 63)
        if firstBits & bit != 0 { firstBits &= ~bit } else { append(UInt8(ascii: ",")) }
    }

    @inlinable public func string(_ s: String) {
        separate()
        appendQuoted(s)
    }
    @inlinable public func string(_ s: String?) { if let s { string(s) } else { null() } }
    @inlinable public func null() {
        separate()
        appendLiteral("null")
    }
    @inlinable public func bool(_ v: Bool) {
        separate()
        if v { appendLiteral("true") } else { appendLiteral("false") }
    }

    @inlinable func appendLiteral(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inlinable public func int<I: BinaryInteger>(_ v: I) {
        separate()
        appendInt(Int64(v))
    }
    @inlinable public func int<I: BinaryInteger>(_ v: I?) { if let v { int(v) } else { null() } }

    @inlinable public func double(_ v: Double?) {
        guard let v, v.isFinite else {
            null()
            return
        }
        separate()
        if v == v.rounded(), abs(v) < 1e15 {
            // Whole numbers keep one decimal so the field's type reads as a ratio: 1.0, 0.0.
            appendInt(Int64(v))
            appendLiteral(".0")
        } else {
            appendDescription(of: v)
        }
    }

    @inlinable public func day(_ d: Day?) {
        guard let d else {
            null()
            return
        }
        separate()
        let i = Int(d.raw)
        if i >= 0, i < CalendarTable.days {
            reserve(12)
            base[count] = UInt8(ascii: "\"")
            CalendarTable.iso.withUnsafeBufferPointer { t in
                (base + count + 1).update(from: t.baseAddress! + i * 10, count: 10)
            }
            base[count + 11] = UInt8(ascii: "\"")
            count += 12
            return
        }
        var iso: [UInt8] = []
        d.appendISO(to: &iso)
        append(UInt8(ascii: "\""))
        iso.withUnsafeBufferPointer { append($0) }
        append(UInt8(ascii: "\""))
    }

    @inlinable public func month(_ m: Month?) {
        guard let m else {
            null()
            return
        }
        separate()
        reserve(9)
        base[count] = UInt8(ascii: "\"")
        m.writeISO(to: base + count + 1)
        base[count + 8] = UInt8(ascii: "\"")
        count += 9
    }

    /// Writes `k` and the value.
    @inlinable public func member<V: JSONLineValue>(_ k: StaticString, _ v: V) {
        key(k)
        v.write(to: self)
    }

    /// Writes `k` and the value, or nothing when it is nil: ingest's outputs, and normalize's
    /// fields beyond the contract, omit a null field rather than write `"key":null` (their
    /// readers take an absent key as null).
    @inlinable public func member<V: JSONLineValue>(_ k: StaticString, omittingNull v: V?) {
        guard let v else { return }
        member(k, v)
    }

    /// Writes `k` and the value, or `null` when it is nil (a field the output's contract names).
    @inlinable public func member<V: JSONLineValue>(_ k: StaticString, orNull v: V?) {
        key(k)
        if let v { v.write(to: self) } else { null() }
    }

    /// Appends already-serialized JSON (for example a value copied from an input row).
    @inlinable public func raw<C: Collection>(_ json: C) where C.Element == UInt8 {
        separate()
        append(contentsOf: json)
    }

    /// Appends a JSON value.
    public func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n):
            separate()
            var n = n
            n.withUTF8 { append($0) }
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { value(item) }
            endArray()
        case .object(let pairs):
            beginObject()
            for (k, item) in pairs {
                key(k)
                value(item)
            }
            endObject()
        }
    }

    /// Appends the decimal digits of `v`.
    @inlinable func appendInt(_ v: Int64) {
        reserve(20)
        if v == 0 {
            base[count] = 48
            count += 1
            return
        }
        var m = v.magnitude
        if v < 0 {
            base[count] = 45
            count += 1
        }
        var digits = 0
        var t = m
        while t > 0 {
            digits += 1
            t /= 10
        }
        var i = count + digits - 1
        while m > 0 {
            base[i] = UInt8(48 + m % 10)
            m /= 10
            i -= 1
        }
        count += digits
    }

    /// True when none of the `n` bytes at `p` is `"`, `\` or below 0x20.
    @inlinable static func needsNoEscaping(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        JSONBytes.nextSpecial(p, from: 0, end: n) == n
    }

    @inlinable func appendQuoted(_ s: String) {
        append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { appendEscaped($0) }
        append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes with JSON string escaping (quote, backslash, control characters).
    @inlinable func appendEscaped(_ u: UnsafeBufferPointer<UInt8>) {
        // Most values need no escaping: check eight bytes at a time for a quote, a backslash or a
        // control character, and copy the whole value at once when there is none.
        if let p = u.baseAddress, JSONLineBuilder.needsNoEscaping(p, u.count) {
            append(u)
            return
        }
        var start = 0
        for i in 0..<u.count {
            let c = u[i]
            if c >= 0x20, c != 0x22, c != 0x5C { continue }
            if start < i { append(UnsafeBufferPointer(rebasing: u[start..<i])) }
            start = i + 1
            append(0x5C)
            switch c {
            case 0x22: append(0x22)
            case 0x5C: append(0x5C)
            case 0x0A: append(0x6E)
            case 0x0D: append(0x72)
            case 0x09: append(0x74)
            default:
                let hex: StaticString = "0123456789abcdef"
                append(0x75)
                append(0x30)
                append(0x30)
                append(hex.utf8Start[Int(c >> 4)])
                append(hex.utf8Start[Int(c & 15)])
            }
        }
        if start < u.count { append(UnsafeBufferPointer(rebasing: u[start..<u.count])) }
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
                let b = JSONLineBuilder()
                b.string(key)
                out.append(contentsOf: b.bytes)
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(32) }
                write(item, to: &out, pretty: pretty, indent: indent + 1)
            }
            newline(indent)
            out.append(UInt8(ascii: "}"))
        default:
            let b = JSONLineBuilder()
            b.value(v)
            out.append(contentsOf: b.bytes)
        }
    }
}

/// Byte tricks shared by the JSON reader and writer.
public enum JSONBytes {
    /// Whether any of the eight bytes in `w` is `"`, `\` or a control character (below 0x20):
    /// the bytes a JSON string must escape, and where a string scan must stop.
    @inlinable @inline(__always)
    public static func hasSpecial(_ w: UInt64) -> Bool { specialMask(w) != 0 }

    /// The first index from `start` (before `end`) of a byte at `p` that is `"`, `\` or below
    /// 0x20, where a string's plain text ends; `end` when there is none. Eight bytes at a time
    /// (`specialMask`; its lowest mark is the first such byte), then byte by byte.
    @inlinable @inline(__always)
    public static func nextSpecial(_ p: UnsafePointer<UInt8>, from start: Int, end: Int) -> Int {
        var j = start
        #if _endian(little)
            while j + 8 <= end {
                let m = specialMask(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                if m != 0 { return j + m.trailingZeroBitCount >> 3 }
                j += 8
            }
        #else
            while j + 8 <= end, !hasSpecial(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self)) { j += 8 }
        #endif
        while j < end {
            let c = p[j]
            if c == 34 || c == 92 || c < 0x20 { return j }
            j += 1
        }
        return end
    }

    /// The high bit of each byte of `w` (little-endian: the first byte lowest) that is `"`, `\`
    /// or below 0x20, exact up to the first such byte (its `trailingZeroBitCount / 8` is that
    /// byte's position); bytes after it may be marked wrongly. SWAR: in `w ^ pattern` a zero
    /// byte marks a match, and `(x - 0x01…) & ~x & 0x80…` sets the high bit of the lowest zero
    /// byte (a borrow only reaches bytes above it); `(w - 0x20…) & ~w & 0x80…` does the same for
    /// bytes below 0x20, never for UTF-8's bytes of 0x80 and above, whose high bit `~w` clears.
    @inlinable @inline(__always)
    public static func specialMask(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below20 = (w &- ones &* 0x20) & ~w & highs
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        return below20 | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)
    }
}

/// A value a member of a row can hold, written the way `JSONLineBuilder`'s own calls write it.
public protocol JSONLineValue {
    func write(to line: JSONLineBuilder)
}

extension String: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.string(self) } }
extension Bool: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.bool(self) } }
extension Int: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.int(self) } }
extension Int64: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.int(self) } }
extension Double: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.double(self) } }
extension Day: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.day(self) } }
extension Month: JSONLineValue { @inlinable public func write(to line: JSONLineBuilder) { line.month(self) } }

/// UTF-8 bytes written as a JSON string, the way a `String` holding them is written.
struct UTF8Text: JSONLineValue {
    let bytes: UnsafeBufferPointer<UInt8>
    @inline(__always) func write(to line: JSONLineBuilder) {
        line.separate()
        line.append(UInt8(ascii: "\""))
        line.appendEscaped(bytes)
        line.append(UInt8(ascii: "\""))
    }
}

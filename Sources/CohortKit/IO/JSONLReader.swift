/// Streams a JSON Lines file one object at a time, scanning bytes in place.
///
/// Each line's top-level fields are indexed (key and value byte ranges) without building strings;
/// accessors decode only what the caller asks for. Lines are read from large chunks, so memory is
/// bounded by the chunk and the longest line. Values stay valid until the next `next()` call.
///
///     let r = try JSONLReader(path: "data/work/normalize/intervals.jsonl")
///     while try r.next() { total += r.int("mrr_minor") ?? 0 }
public final class JSONLReader {
    public enum Kind: UInt8 { case string, number, bool, null, object, array }

    struct Field {
        var keyStart: Int32, keyEnd: Int32, valueStart: Int32, valueEnd: Int32
        var kind: Kind
        var escaped: Bool
    }

    public let path: String
    /// The file's lines; the current line's offsets point into its lines.bytes.
    let lines: LineBuffer
    var lineStart = 0
    var lineEnd = 0
    /// The current line's fields: `fieldCount` of them, room for `fieldCapacity` (a buffer of
    /// its own rather than an array: no uniqueness check per field written or per lookup).
    private(set) var fields: UnsafeMutablePointer<Field>
    private(set) var fieldCount = 0
    private var fieldCapacity = 32
    /// The keys of the line indexed last, which the next line most likely repeats.
    /// (Made in `init` once the file is open: a failed open allocates nothing.)
    private var layout: KeyLayout
    /// The field after the one `find` found last, where its next search starts.
    var hint = 0
    /// The record codec's table states for the types this one met last.
    var recordTables = RecordTableCache()
    /// 1-based number of the current line.
    public var lineNumber: Int { lines.lineNumber }
    /// Why the current line is not a JSON object, when it is not.
    public private(set) var lineError: String?

    /// Reads the whole file, or only the lines in `range` (which must start at a line start and
    /// end after a newline, as `JSONLParts` cuts them); line numbers then count from the range.
    /// `chunkSize`: bytes read at a time (`ReadChunk`: the kernel's copy stays in the core's cache
    /// until the parse reads it). The file's digest is the caller's (`StageRun` computes it).
    public init(
        path: String, chunkSize: Int = ReadChunk.bytes, range: Range<Int>? = nil, progress: ProgressMeter? = nil
    ) throws {
        self.path = path
        lines = try LineBuffer(
            path: path, chunkSize: chunkSize, range: range, progress: progress,
            maxLineBytes: LineBuffer.maxOutputLineBytes)
        fields = .allocate(capacity: fieldCapacity)
        layout = KeyLayout()
    }

    deinit {
        fields.deallocate()
        layout.deallocate()
    }

    /// Bytes read from the file so far.
    public var bytesRead: Int { lines.bytesRead }

    /// Advances to the next non-blank line. Returns false at end of file. A line that is not a
    /// JSON object sets `lineError` (the caller decides whether that is a reject or a data error).
    public func next() throws -> Bool {
        while let line = try lines.next() {
            if lines.isBlank(line, carriageReturn: false) { continue }
            lineStart = line.lowerBound
            lineEnd = line.upperBound
            lineError = index()
            return true
        }
        return false
    }

    /// Advances to the next non-blank line like `next()`, without indexing it: until
    /// `indexLine()`, the line has no fields and no `lineError`. For a reader that can tell from a
    /// line's bytes (`withLineBytes`) that it needs none of it.
    public func nextUnindexed() throws -> Bool {
        while let line = try lines.next() {
            if lines.isBlank(line, carriageReturn: false) { continue }
            lineStart = line.lowerBound
            lineEnd = line.upperBound
            fieldCount = 0
            lineError = nil
            return true
        }
        return false
    }

    /// Indexes the current line after `nextUnindexed()`, as `next()` would have.
    public func indexLine() { lineError = index() }

    /// File offset of the first byte of the current line.
    public var lineOffset: Int { lines.bufferOffset + lineStart }

    /// Calls `body` with the current line's bytes (without its newline).
    public func withLineBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        lines.withBytes { body(UnsafeBufferPointer(rebasing: $0[lineStart..<lineEnd])) }
    }

    /// The raw bytes of the current line (without its newline).
    public var rawLine: String { String(decoding: lines.bytes[lineStart..<lineEnd], as: UTF8.self) }

    // MARK: Indexing one line

    /// Indexes the current line's fields; returns why the line is not a JSON object, or nil.
    /// Then keeps the line's keys as the layout the next lines are expected to have, when a key
    /// was not in the layout.
    private func index() -> String? {
        hint = 0
        return lines.withBytes { b -> String? in
            guard let base = b.baseAddress else {
                fieldCount = 0
                return "not a JSON object (expected '{')"
            }
            let (error, scanned) = indexFields(base, start: lineStart, end: lineEnd)
            if scanned { layout.keep(fields, count: fieldCount, line: UnsafePointer(base + lineStart)) }
            return error
        }
    }

    /// Indexes the fields of the line in `b[start..<end]` into `fields`; returns why the line is
    /// not a JSON object (nil when it is) and whether a key had to be scanned (was not found in
    /// the layout).
    ///
    /// Each key is first compared whole, quotes included (and the colon after them when the
    /// layout's line had it there), with the layout's key after the one matched last, then with
    /// the two after that (a line that leaves out optional members), instead of being scanned
    /// for its closing quote: equal bytes scan as the layout's key did (a string's scan depends
    /// on its bytes alone), so the result is the scan's. A key none of them matches is scanned,
    /// and the rest of the line too. Values are always scanned.
    @inline(__always)
    private func indexFields(_ b: UnsafePointer<UInt8>, start: Int, end: Int) -> (String?, Bool) {
        var i = start
        var n = 0
        // The layout key to try first; past the layout's end once a key has been scanned.
        var expected = 0
        var scanned = false
        let layoutCount = layout.count
        let layoutKeys = layout.keys
        let layoutBytes = layout.bytes
        defer { fieldCount = n }
        @inline(__always) func ws() { while i < end, b[i] == 32 || b[i] == 9 || b[i] == 13 { i += 1 } }
        @inline(__always) func scanString() -> (Int, Bool)? {
            // b[i] is the opening quote; returns the index of the closing quote.
            var j = i + 1
            var esc = false
            while j < end {
                j = JSONBytes.nextSpecial(b, from: j, end: end)
                guard j < end else { return nil }
                let c = b[j]
                if c == 34 { return (j, esc) }
                if c == 92 {
                    esc = true
                    j += 2
                    continue
                }
                return nil  // a control character
            }
            return nil
        }
        ws()
        guard i < end, b[i] == 123 else { return ("not a JSON object (expected '{')", scanned) }
        i += 1
        ws()
        if i < end, b[i] == 125 {
            i += 1
            ws()
            return (i == end ? nil : "unexpected text after the object", scanned)
        }
        while true {
            ws()
            guard i < end, b[i] == 34 else { return ("expected a quoted key", scanned) }
            let ks = i + 1
            var kEnd = -1
            var kEsc = false
            var t = expected
            let stop = min(expected + 3, layoutCount)
            while t < stop {
                let k = layoutKeys[t]
                let c = Int(k.count)
                if end - i >= c, Self.sameBytes(b + i, layoutBytes + Int(k.start), count: c) {
                    i += c
                    kEnd = k.colon ? i - 2 : i - 1
                    kEsc = k.escaped
                    expected = t + 1
                    break
                }
                t += 1
            }
            if kEnd < 0 {
                guard let (e, es) = scanString() else { return ("expected a quoted key", scanned) }
                kEnd = e
                kEsc = es
                expected = layoutCount
                scanned = true
                i = kEnd + 1
            }
            if i == kEnd + 1 {
                // The colon was not part of the comparison.
                ws()
                guard i < end, b[i] == 58 else { return ("expected ':' after a key", scanned) }
                i += 1
            }
            ws()
            guard i < end else { return ("missing value", scanned) }
            let vs = i
            var kind: Kind
            var esc = false
            switch b[i] {
            case 34:
                guard let (e, es) = scanString() else { return ("unterminated string", scanned) }
                kind = .string
                esc = es
                i = e + 1
            case 123, 91:
                kind = b[i] == 123 ? .object : .array
                var depth = 0
                while i < end {
                    let c = b[i]
                    if c == 34 {
                        guard let (e, _) = scanString() else { return ("unterminated string", scanned) }
                        i = e + 1
                        continue
                    }
                    if c == 123 || c == 91 {
                        depth += 1
                    } else if c == 125 || c == 93 {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
                guard depth == 0 else { return ("unterminated object or array", scanned) }
            case 116:
                kind = .bool
                guard end - i >= 4, b[i + 1] == 114, b[i + 2] == 117, b[i + 3] == 101 else {
                    return ("invalid literal", scanned)
                }
                i += 4
            case 102:
                kind = .bool
                guard end - i >= 5, b[i + 1] == 97, b[i + 2] == 108, b[i + 3] == 115, b[i + 4] == 101 else {
                    return ("invalid literal", scanned)
                }
                i += 5
            case 110:
                kind = .null
                guard end - i >= 4, b[i + 1] == 117, b[i + 2] == 108, b[i + 3] == 108 else {
                    return ("invalid literal", scanned)
                }
                i += 4
            case 45, 48...57:
                kind = .number
                i += 1
                while i < end,
                    (b[i] >= 48 && b[i] <= 57) || b[i] == 46 || b[i] == 101 || b[i] == 69 || b[i] == 43
                        || b[i] == 45
                { i += 1 }
            default: return ("invalid value", scanned)
            }
            if n == fieldCapacity { growFields() }
            fields[n] = Field(
                keyStart: Int32(ks - start), keyEnd: Int32(kEnd - start), valueStart: Int32(vs - start),
                valueEnd: Int32(i - start), kind: kind, escaped: esc || kEsc)
            n += 1
            ws()
            guard i < end else { return ("unterminated object", scanned) }
            if b[i] == 44 {
                i += 1
                continue
            }
            if b[i] == 125 {
                i += 1
                ws()
                return (i == end ? nil : "unexpected text after the object", scanned)
            }
            return ("expected ',' or '}'", scanned)
        }
    }

    /// Doubles the room for fields, keeping those indexed so far.
    private func growFields() {
        let grown = UnsafeMutablePointer<Field>.allocate(capacity: fieldCapacity * 2)
        grown.moveInitialize(from: fields, count: fieldCapacity)
        fields.deallocate()
        fields = grown
        fieldCapacity *= 2
    }

    /// Whether the `count` bytes at `p` and at `q` are the same. Keys are short: up to 16 bytes
    /// compare as two overlapping words, longer ones a word at a time and then the last word
    /// (overlapping), without a call into `memcmp`; nothing is read past either's `count` bytes.
    @inline(__always)
    static func sameBytes(_ p: UnsafePointer<UInt8>, _ q: UnsafePointer<UInt8>, count n: Int) -> Bool {
        let a = UnsafeRawPointer(p)
        let c = UnsafeRawPointer(q)
        if n >= 8 {
            var j = 0
            while j < n - 8 {
                if a.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                    != c.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                {
                    return false
                }
                j += 8
            }
            return a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                == c.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        }
        if n >= 4 {
            return a.loadUnaligned(as: UInt32.self) == c.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                    == c.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        }
        if n > 0 { return p[0] == q[0] && p[n / 2] == q[n / 2] && p[n - 1] == q[n - 1] }
        return true
    }

    /// The first index from `start` (before `end`) of a quote, a backslash or a control
    /// character in `b`; `end` when there is none (`JSONBytes.nextSpecial`).
    @inline(__always)
    static func nextSpecial(_ b: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        guard let base = b.baseAddress else { return end }
        return JSONBytes.nextSpecial(base, from: start, end: end)
    }

    // MARK: Field access

    /// Index of the field named `key` in the current line, or nil.
    func find(_ key: StaticString) -> Int? { find(key: key.utf8Start, count: key.utf8CodeUnitCount) }

    /// Index of the field whose key is the `count` bytes at `kp`, or nil. Callers ask for keys in
    /// the order the line has them, so the search starts after the field found last.
    func find(key kp: UnsafePointer<UInt8>, count kn: Int) -> Int? {
        let n = fieldCount
        guard n > 0, let base = lines.bytes.baseAddress else { return nil }
        let line = base + lineStart
        let fs = fields
        var idx = hint < n ? hint : 0
        for _ in 0..<n {
            let f = fs[idx]
            if Int(f.keyEnd &- f.keyStart) == kn, Self.sameBytes(line + Int(f.keyStart), kp, count: kn) {
                hint = idx + 1
                return idx
            }
            idx += 1
            if idx == n { idx = 0 }
        }
        return nil
    }

    /// The JSON kind of `key`'s value; nil when the line has no such key.
    public func kind(_ key: StaticString) -> Kind? { find(key).map { fields[$0].kind } }

    public func has(_ key: StaticString) -> Bool { find(key) != nil }

    /// An integer value (nil when absent, null or not an integer).
    public func int(_ key: StaticString) -> Int64? { find(key).flatMap(int(at:)) }

    /// The integer value of field `idx` (nil when it is null or not an integer).
    func int(at idx: Int) -> Int64? {
        let f = fields[idx]
        guard f.kind == .number else { return nil }
        return lines.withBytes { b -> Int64? in
            var i = lineStart + Int(f.valueStart)
            let e = lineStart + Int(f.valueEnd)
            var neg = false
            if b[i] == 45 {
                neg = true
                i += 1
            }
            var v: Int64 = 0
            guard i < e else { return nil }
            while i < e {
                let d = b[i] &- 48
                guard d <= 9 else { return nil }
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(d))
                guard !o1, !o2 else { return nil }
                v = a
                i += 1
            }
            return neg ? -v : v
        }
    }

    public func double(_ key: StaticString) -> Double? { find(key).flatMap(double(at:)) }

    /// The number of field `idx` (nil when it is null or not a number).
    func double(at idx: Int) -> Double? {
        let f = fields[idx]
        guard f.kind == .number else { return nil }
        return Double(
            String(
                decoding: lines.bytes[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))], as: UTF8.self))
    }

    public func bool(_ key: StaticString) -> Bool? { find(key).flatMap(bool(at:)) }

    /// The flag of field `idx` (nil when it is null or not a boolean).
    func bool(at idx: Int) -> Bool? {
        let f = fields[idx]
        guard f.kind == .bool else { return nil }
        return lines.bytes[lineStart + Int(f.valueStart)] == 116
    }

    /// A string value, unescaped (nil when absent, null or not a string).
    public func string(_ key: StaticString) -> String? {
        guard let idx = find(key) else { return nil }
        return stringValue(at: idx)
    }

    func stringValue(at idx: Int) -> String? {
        let f = fields[idx]
        guard f.kind == .string else { return nil }
        let s = lineStart + Int(f.valueStart) + 1
        let e = lineStart + Int(f.valueEnd) - 1
        if !f.escaped {
            return lines.withBytes { b in
                let v = UnsafeBufferPointer(rebasing: b[s..<e])
                // ASCII, nearly every value, is valid UTF-8 as it is: `String(decoding:)` takes it
                // without `String(validating:)`'s generic lookups, which cost more than the copy.
                if v.baseAddress.map({ TextDecoding.isASCII($0, count: v.count) }) ?? true {
                    return String(decoding: v, as: UTF8.self)
                }
                return String(validating: v, as: UTF8.self)
            }
        }
        var i = s
        return try? JSONStringDecoder.decode(
            lines.bytes[s...e], &i, onError: { JSONParseError(line: 0, column: 0, message: $0) })
    }

    /// A date value written `YYYY-MM-DD`.
    public func day(_ key: StaticString) -> Day? {
        guard let idx = find(key) else { return nil }
        let f = fields[idx]
        guard f.kind == .string else { return nil }
        return lines.withBytes { b in
            Day.parseISO(
                UnsafeBufferPointer(
                    rebasing: b[(lineStart + Int(f.valueStart) + 1)..<(lineStart + Int(f.valueEnd) - 1)]))
        }
    }

    /// Calls `body` with the raw bytes of a string value (no unescaping; for fast comparisons and
    /// interning of plain values).
    public func withStringBytes<R>(_ key: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let idx = find(key) else { return nil }
        let f = fields[idx]
        guard f.kind == .string, !f.escaped else { return nil }
        return lines.withBytes { b in
            body(
                UnsafeBufferPointer(
                    rebasing: b[(lineStart + Int(f.valueStart) + 1)..<(lineStart + Int(f.valueEnd) - 1)]))
        }
    }

    /// The raw JSON text of a value (objects, arrays), for copying or full parsing.
    public func rawValue(_ key: StaticString) -> ArraySlice<UInt8>? { find(key).map(rawValue(at:)) }

    /// Calls `body` with the raw JSON text of `key`'s value in place (valid during the call only);
    /// nil when the line has no such key. Saves the copy `rawValue` makes.
    public func withRawValue<R>(_ key: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        guard let idx = find(key) else { return nil }
        let f = fields[idx]
        return lines.withBytes { b in
            body(UnsafeBufferPointer(rebasing: b[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))]))
        }
    }

    /// The bytes of field `idx`'s value, as written.
    func rawValue(at idx: Int) -> ArraySlice<UInt8> {
        let f = fields[idx]
        return ArraySlice(lines.bytes[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))])
    }

    /// A nested value parsed into a `JSONValue`.
    public func value(_ key: StaticString) -> JSONValue? {
        guard let raw = rawValue(key) else { return nil }
        return try? JSONParser.parse(Array(raw))
    }

    /// All top-level keys of the current line, in order.
    public var keys: [String] {
        (0..<fieldCount).map {
            let f = fields[$0]
            return String(
                decoding: lines.bytes[(lineStart + Int(f.keyStart))..<(lineStart + Int(f.keyEnd))], as: UTF8.self)
        }
    }

    /// A string value by a dynamic key (for configurable column names).
    public func string(forKey key: String) -> String? {
        firstIndex(ofKey: key).flatMap(stringValue(at:))
    }

    /// The raw text of a value by a dynamic key: strings unescaped, other values as written.
    public func text(forKey key: String) -> (text: String, kind: Kind)? {
        guard let idx = firstIndex(ofKey: key) else { return nil }
        let f = fields[idx]
        if f.kind == .string { return stringValue(at: idx).map { ($0, .string) } }
        return (
            String(
                decoding: lines.bytes[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))], as: UTF8.self),
            f.kind
        )
    }

    /// Index of the first field named `key`, searched from the line's start (not from `hint`).
    private func firstIndex(ofKey key: String) -> Int? {
        let k = Array(key.utf8)
        for idx in 0..<fieldCount {
            let f = fields[idx]
            if Array(lines.bytes[(lineStart + Int(f.keyStart))..<(lineStart + Int(f.keyEnd))]) == k { return idx }
        }
        return nil
    }
}

/// The keys of a line the reader indexed, each with its quotes and the colon after them
/// (`"key":`), back to back: the layout the next lines most likely have, as every line of a file
/// the pipeline writes has its keys in the writer's order (some of them left out). Kept from the
/// last line that had a key not in the layout before.
struct KeyLayout {
    /// Where one key's bytes are in `bytes`: the quoted key, and the colon when it came right
    /// after the closing quote; whether the key holds an escape.
    struct Key {
        var start: Int32
        var count: Int32
        var colon: Bool
        var escaped: Bool
    }

    private(set) var keys: UnsafeMutablePointer<Key>
    private(set) var bytes: UnsafeMutablePointer<UInt8>
    /// How many keys the layout has (0 before the first line: no key is expected).
    private(set) var count = 0
    private var keyCapacity = 32
    private var byteCapacity = 512

    init() {
        keys = .allocate(capacity: keyCapacity)
        bytes = .allocate(capacity: byteCapacity)
    }

    /// Frees the storage; its owner calls this once, from its `deinit`.
    func deallocate() {
        keys.deallocate()
        bytes.deallocate()
    }

    /// Replaces the layout by the keys of `fields`, whose offsets count from `line`.
    mutating func keep(_ fields: UnsafePointer<JSONLReader.Field>, count n: Int, line: UnsafePointer<UInt8>) {
        if n > keyCapacity {
            keys.deallocate()
            keyCapacity = max(n, keyCapacity * 2)
            keys = .allocate(capacity: keyCapacity)
        }
        var total = 0
        for f in 0..<n { total += Int(fields[f].keyEnd - fields[f].keyStart) + 3 }
        if total > byteCapacity {
            bytes.deallocate()
            byteCapacity = max(total, byteCapacity * 2)
            bytes = .allocate(capacity: byteCapacity)
        }
        var at = 0
        for f in 0..<n {
            // The opening quote is the byte before the key, the closing one its end.
            let s = Int(fields[f].keyStart) - 1
            // The byte after the closing quote is in the line: the key's value comes after it.
            let colon = line[Int(fields[f].keyEnd) + 1] == 58
            let c = Int(fields[f].keyEnd) + (colon ? 2 : 1) - s
            (bytes + at).update(from: line + s, count: c)
            // A field without escapes has none in its key; one with them may have them in its value.
            var escaped = false
            if fields[f].escaped {
                for j in 1..<(Int(fields[f].keyEnd) - s) where bytes[at + j] == 92 { escaped = true }
            }
            keys[f] = Key(start: Int32(at), count: Int32(c), colon: colon, escaped: escaped)
            at += c
        }
        count = n
    }
}

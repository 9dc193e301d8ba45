/// Checks one line of a JSON Lines input against RFC 8259 and indexes its top-level members.
///
/// The whole line is checked, nested values included: the number grammar (no leading zeros, no
/// lone `-`, digits after `.` and `e`), the three literals, string escapes (a `\u` surrogate must
/// come as a high-low pair), no raw control characters in strings, well-formed UTF-8 (no overlong
/// forms, no encoded surrogates, nothing above U+10FFFF, no truncated sequences), whitespace only
/// as space, tab and CR between tokens, nesting at most `maxDepth` deep, and no key twice in one
/// object. The line must hold exactly one value, an object.
///
/// Top-level members are kept as byte ranges: a key or string with escapes is decoded into
/// `scratch`, everything else points into the line. Nested values are checked, not decoded.
///
/// - Complexity: O(n) in the line's length (O(k log k) in its k keys for the duplicate check).
struct StrictJSONLine {
    enum Kind: UInt8 { case string, number, bool, null, object, array }

    /// One top-level member: where its key and value are.
    struct Member {
        /// The key's content (unescaped), in the line or in `scratch`.
        var keyStart: Int32, keyCount: Int32, keyInScratch: Bool
        /// The value's JSON text in the line.
        var valueStart: Int32, valueEnd: Int32
        /// A string's content (unescaped), in the line or in `scratch`; other kinds: the JSON text.
        var textStart: Int32, textCount: Int32, textInScratch: Bool
        var kind: Kind
    }

    /// Why a line is not a valid JSON object.
    struct Problem: Error {
        /// The message, naming what is wrong and the byte column (1-based) where.
        var reason: String
        /// Byte offset of the problem in the line.
        var offset: Int
        /// The key of the top-level member whose value holds the problem; nil outside any value.
        var key: [UInt8]?
        /// Byte offset where that member's value starts.
        var valueStart: Int
        /// The offending value when it is not the text from `valueStart` to `offset` (a duplicate key).
        var value: String? = nil
    }

    /// Deepest nesting accepted; the line's object counts as 1.
    static let maxDepth = 64

    private(set) var members: [Member] = []
    /// Unescaped keys and strings of the current line.
    private(set) var scratch: [UInt8] = []

    /// Calls `body` with the members and the scratch bytes, both accessed in place: a reader that
    /// keeps the parser in a class reads them without retaining either array for every line.
    mutating func withMembersAndScratch<R>(
        _ body: (UnsafeBufferPointer<Member>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        members.withUnsafeMutableBufferPointer { m in
            scratch.withUnsafeMutableBufferPointer { s in body(UnsafeBufferPointer(m), UnsafeBufferPointer(s)) }
        }
    }

    /// Every key of every object on the line, for the duplicate check.
    private struct KeyRef {
        /// The object the key is in, and the top-level member it is or sits in (for messages).
        var object, member: Int32
        /// The key's unescaped bytes: `count` of them from `start`, in `scratch` or in the line.
        var start, count: Int32
        var inScratch: Bool
        /// Byte offset of the key's opening quote.
        var offset: Int32
    }
    private var keys: [KeyRef] = []
    /// Ids of the objects open around the current position (the line's object is 0).
    private var objects: [Int32] = []
    private var nextObject: Int32 = 1

    // The line being parsed and the position in it.
    private var p = UnsafePointer<UInt8>(bitPattern: 1)!
    private var i = 0
    private var end = 0
    /// The top-level member whose value is being parsed (key in the line or scratch), for messages.
    private var current: (start: Int32, count: Int32, inScratch: Bool, valueStart: Int)?

    init() {
        members.reserveCapacity(16)
        keys.reserveCapacity(32)
        objects.reserveCapacity(8)
    }

    /// Checks and indexes `line` (no newline); returns why it is not a valid JSON object, or nil.
    mutating func parse(_ line: UnsafeBufferPointer<UInt8>) -> Problem? {
        members.removeAll(keepingCapacity: true)
        scratch.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        objects.removeAll(keepingCapacity: true)
        nextObject = 1
        current = nil
        guard let base = line.baseAddress, line.count > 0 else {
            return Problem(reason: "not a JSON object: the line is empty", offset: 0, key: nil, valueStart: 0)
        }
        p = base
        i = 0
        end = line.count
        do {
            try object()
        } catch {
            return error
        }
        return duplicateKey()
    }

    // MARK: Grammar

    @inline(__always) private mutating func ws() {
        while i < end {
            let c = p[i]
            guard c == 0x20 || c == 0x09 || c == 0x0D else { return }
            i += 1
        }
    }

    private mutating func object() throws(Problem) {
        ws()
        guard i < end, p[i] == 0x7B else {
            if i < end, p[i] >= 0x80 { throw unexpected(expecting: "'{'") }
            throw Problem(
                reason: "not a JSON object: each line must be one object, {…}; this one \(startDescription())",
                offset: i, key: nil, valueStart: i)
        }
        i += 1
        objects.append(0)
        ws()
        if i < end, p[i] == 0x7D {
            i += 1
        } else {
            while true {
                ws()
                guard i < end, p[i] == 0x22 else { throw unexpected(expecting: "a quoted key") }
                let keyOffset = i
                let k = try string(decode: true)
                keys.append(
                    KeyRef(
                        object: 0, member: Int32(members.count), start: Int32(k.start), count: Int32(k.count),
                        inScratch: k.inScratch, offset: Int32(keyOffset)))
                ws()
                guard i < end, p[i] == 0x3A else { throw unexpected(expecting: "':' after the key") }
                i += 1
                ws()
                let vs = i
                current = (Int32(k.start), Int32(k.count), k.inScratch, vs)
                guard i < end else { throw problem("a value is missing after ':'", at: i) }
                var kind = Kind.null
                var text = (start: vs, count: 0, inScratch: false)
                switch p[i] {
                case 0x22:
                    kind = .string
                    let s = try string(decode: true)
                    text = (s.start, s.count, s.inScratch)
                case 0x7B, 0x5B:
                    kind = p[i] == 0x7B ? .object : .array
                    try container()
                case 0x74, 0x66:
                    kind = .bool
                    try literal()
                case 0x6E:
                    kind = .null
                    try literal()
                case 0x2D, 0x30...0x39:
                    kind = .number
                    try number()
                default:
                    throw unexpected(expecting: "a value")
                }
                if kind != .string { text = (vs, i - vs, false) }
                members.append(
                    Member(
                        keyStart: Int32(k.start), keyCount: Int32(k.count), keyInScratch: k.inScratch,
                        valueStart: Int32(vs), valueEnd: Int32(i),
                        textStart: Int32(text.start), textCount: Int32(text.count), textInScratch: text.inScratch,
                        kind: kind))
                current = nil
                ws()
                guard i < end else {
                    throw problem("the object is not closed (expected ',' or '}' at the end of the line)", at: i)
                }
                if p[i] == 0x2C {
                    i += 1
                    continue
                }
                if p[i] == 0x7D {
                    i += 1
                    break
                }
                throw unexpected(expecting: "',' or '}'")
            }
        }
        let closed = i
        ws()
        guard i == end else {
            // `{...}\r{...}`: lines that end with a carriage return alone (classic Mac OS) make the
            // whole file one line.
            if p[i] == 0x7B, (closed..<i).contains(where: { p[$0] == 0x0D }) {
                throw problem(
                    "another object follows a carriage return on the same line: this file's lines end with a carriage return alone (classic Mac OS line endings), so it reads as one line; convert the line endings to \\n (or \\r\\n) and run again",
                    at: i, plain: true)
            }
            throw unexpected(expecting: "the end of the line after the object (one object per line)")
        }
    }

    /// A nested object or array at `p[i]`, checked iteratively (no recursion, so no stack to
    /// exhaust), its depth bounded by `maxDepth`.
    private mutating func container() throws(Problem) {
        enum Step { case open, element, afterElement, close }
        var step = Step.open
        var level = 0
        var objectBits: UInt64 = 0  // bit 0: whether the innermost open container is an object
        while true {
            switch step {
            case .open:
                let isObject = p[i] == 0x7B
                level += 1
                guard level + 1 <= Self.maxDepth else {
                    throw problem("nested deeper than \(Self.maxDepth) levels", at: i)
                }
                objectBits = objectBits << 1 | (isObject ? 1 : 0)
                if isObject {
                    objects.append(nextObject)
                    nextObject += 1
                }
                i += 1
                ws()
                if i < end, p[i] == (isObject ? 0x7D : 0x5D) { step = .close } else { step = .element }
            case .element:
                ws()
                if objectBits & 1 == 1 {
                    guard i < end, p[i] == 0x22 else { throw unexpected(expecting: "a quoted key") }
                    let keyOffset = i
                    let k = try string(decode: true)
                    keys.append(
                        KeyRef(
                            object: objects[objects.count - 1], member: Int32(members.count), start: Int32(k.start),
                            count: Int32(k.count), inScratch: k.inScratch, offset: Int32(keyOffset)))
                    ws()
                    guard i < end, p[i] == 0x3A else { throw unexpected(expecting: "':' after the key") }
                    i += 1
                    ws()
                }
                guard i < end else { throw problem("a value is missing", at: i) }
                switch p[i] {
                case 0x7B, 0x5B:
                    step = .open
                    continue
                case 0x22: _ = try string(decode: false)
                case 0x74, 0x66, 0x6E: try literal()
                case 0x2D, 0x30...0x39: try number()
                default: throw unexpected(expecting: "a value")
                }
                step = .afterElement
            case .afterElement:
                ws()
                let close: UInt8 = objectBits & 1 == 1 ? 0x7D : 0x5D
                guard i < end else {
                    throw problem(
                        "an \(close == 0x7D ? "object" : "array") is not closed (expected ',' or '\(close == 0x7D ? "}" : "]")')",
                        at: i)
                }
                if p[i] == 0x2C {
                    i += 1
                    step = .element
                    continue
                }
                guard p[i] == close else { throw unexpected(expecting: close == 0x7D ? "',' or '}'" : "',' or ']'") }
                step = .close
            case .close:
                i += 1
                if objectBits & 1 == 1 { objects.removeLast() }
                objectBits >>= 1
                level -= 1
                if level == 0 { return }
                step = .afterElement
            }
        }
    }

    private mutating func literal() throws(Problem) {
        let word: StaticString = p[i] == 0x74 ? "true" : p[i] == 0x66 ? "false" : "null"
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        var j = 0
        while j < n, i + j < end, p[i + j] == w[j] { j += 1 }
        guard j == n else { throw problem("not a JSON value (the only words are true, false and null)", at: i) }
        i += n
    }

    @inline(__always) private func isDigit(_ at: Int) -> Bool { at < end && p[at] &- 0x30 < 10 }

    private mutating func number() throws(Problem) {
        let start = i
        if p[i] == 0x2D {
            i += 1
            guard isDigit(i) else { throw problem("'-' must be followed by digits", at: start) }
        }
        if p[i] == 0x30 {
            i += 1
            if isDigit(i) { throw problem("a number must not start with 0 (leading zero)", at: start) }
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < end, p[i] == 0x2E {
            i += 1
            guard isDigit(i) else { throw problem("a decimal point must be followed by digits", at: i - 1) }
            while isDigit(i) { i += 1 }
        }
        if i < end, p[i] | 0x20 == 0x65 {
            i += 1
            if i < end, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard isDigit(i) else { throw problem("an exponent must have digits", at: i - 1) }
            while isDigit(i) { i += 1 }
        }
    }

    /// A string at `p[i]` (the opening quote); returns its content, in the line when it has no
    /// escapes, else unescaped into `scratch` (when `decode`; nested values are only checked).
    private mutating func string(decode: Bool) throws(Problem) -> (start: Int, count: Int, inScratch: Bool) {
        let open = i
        i += 1
        let s = i
        // Fast path: plain ASCII up to the closing quote, eight bytes at a time while none of
        // them is a quote, a backslash, a control character or non-ASCII (SWAR zero-byte tests;
        // a false alarm only falls through to the byte loop).
        while i + 8 <= end {
            let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if JSONBytes.specialMask(x) | (x & 0x8080_8080_8080_8080) != 0 { break }
            i += 8
        }
        while true {
            guard i < end else { throw problem("a string is not closed (no closing '\"' on this line)", at: open) }
            let c = p[i]
            if c == 0x22 {
                i += 1
                return (s, i - 1 - s, false)
            }
            if c == 0x5C { break }
            if c < 0x20 { throw controlCharacter(c) }
            if c < 0x80 {
                i += 1
                continue
            }
            try utf8()
        }
        let sc = scratch.count
        if decode { scratch.append(contentsOf: UnsafeBufferPointer(start: p + s, count: i - s)) }
        while true {
            guard i < end else { throw problem("a string is not closed (no closing '\"' on this line)", at: open) }
            let c = p[i]
            if c == 0x22 {
                i += 1
                return (sc, scratch.count - sc, true)
            }
            if c == 0x5C {
                guard i + 1 < end else {
                    throw problem("a string is not closed (no closing '\"' on this line)", at: open)
                }
                let e = p[i + 1]
                var out: UInt8 = 0
                switch e {
                case 0x22, 0x5C, 0x2F: out = e
                case 0x62: out = 0x08
                case 0x66: out = 0x0C
                case 0x6E: out = 0x0A
                case 0x72: out = 0x0D
                case 0x74: out = 0x09
                case 0x75:
                    let scalar = try unicodeEscape()
                    if decode { appendUTF8(scalar) }
                    continue
                default:
                    throw problem(
                        "invalid escape \(Self.describe(byte: e, after: "\\")) (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
                        at: i)
                }
                if decode { scratch.append(out) }
                i += 2
            } else if c < 0x20 {
                throw controlCharacter(c)
            } else if c < 0x80 {
                if decode { scratch.append(c) }
                i += 1
            } else {
                let st = i
                try utf8()
                if decode { scratch.append(contentsOf: UnsafeBufferPointer(start: p + st, count: i - st)) }
            }
        }
    }

    private func hex4(_ at: Int) -> UInt32? {
        guard at + 4 <= end else { return nil }
        var v: UInt32 = 0
        for j in 0..<4 {
            let c = p[at + j]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x41 + 10
            case 0x61...0x66: d = c - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }

    /// A `\uXXXX` escape at `p[i]` (a surrogate pair takes two); advances past it.
    private mutating func unicodeEscape() throws(Problem) -> UInt32 {
        let at = i
        guard let u = hex4(i + 2) else { throw problem("\\u must be followed by four hex digits", at: at) }
        i += 6
        switch u {
        case 0xD800...0xDBFF:
            guard i + 1 < end, p[i] == 0x5C, p[i + 1] == 0x75, let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low)
            else {
                throw problem(
                    "lone surrogate \\u\(Self.hex(u)): a high surrogate must be followed by a low one (\\udc00-\\udfff); not valid Unicode",
                    at: at)
            }
            i += 6
            return 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw problem(
                "lone surrogate \\u\(Self.hex(u)): a low surrogate must follow a high one (\\ud800-\\udbff); not valid Unicode",
                at: at)
        default:
            return u
        }
    }

    private mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case ..<0x80: scratch.append(UInt8(v))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | v >> 6))
            scratch.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | v >> 12))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | v >> 18))
            scratch.append(UInt8(0x80 | v >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }

    /// The length of the well-formed UTF-8 sequence at `p[at]` (a byte >= 0x80), or nil
    /// (Unicode §3.9 table 3-7: no overlong forms, no surrogates, nothing above U+10FFFF).
    private func utf8Length(_ at: Int) -> Int? {
        let c = p[at]
        var n = 0
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch c {
        case 0xC2...0xDF: n = 2
        case 0xE0:
            n = 3
            lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 3
        case 0xED:
            n = 3
            hi = 0x9F
        case 0xF0:
            n = 4
            lo = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4:
            n = 4
            hi = 0x8F
        default: return nil
        }
        guard at + n <= end else { return nil }
        let b1 = p[at + 1]
        guard b1 >= lo, b1 <= hi else { return nil }
        for j in 2..<max(n, 2) where p[at + j] & 0xC0 != 0x80 { return nil }
        return n
    }

    private mutating func utf8() throws(Problem) {
        guard let n = utf8Length(i) else {
            throw problem(
                "not valid UTF-8 (byte 0x\(Self.hex(UInt32(p[i]), digits: 2).uppercased()) at column \(i + 1)); re-export the file as UTF-8",
                at: i, plain: true)
        }
        i += n
    }

    // MARK: Duplicate keys

    private func withKeyBytes<R>(_ k: KeyRef, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard k.inScratch else { return body(UnsafeBufferPointer(start: p + Int(k.start), count: Int(k.count))) }
        return scratch.withUnsafeBufferPointer {
            body(UnsafeBufferPointer(rebasing: $0[Int(k.start)..<Int(k.start + k.count)]))
        }
    }

    private func sameKey(_ a: KeyRef, _ b: KeyRef) -> Bool {
        guard a.object == b.object, a.count == b.count else { return false }
        if a.count == 0 { return true }
        return scratch.withUnsafeBufferPointer { s in
            // A non-empty key in scratch means scratch is not empty.
            guard let scratch = s.baseAddress ?? (a.inScratch || b.inScratch ? nil : p) else { return false }
            let pa = a.inScratch ? scratch + Int(a.start) : p + Int(a.start)
            let pb = b.inScratch ? scratch + Int(b.start) : p + Int(b.start)
            return memcmp(pa, pb, Int(a.count)) == 0
        }
    }

    /// The first key that repeats one before it in the same object (decoded keys compared, so
    /// `"a"` and `"\u0061"` are the same key).
    private mutating func duplicateKey() -> Problem? {
        let n = keys.count
        guard n > 1 else { return nil }
        var found: (first: Int, second: Int)?
        if n <= 24 {
            outer: for j in 1..<n {
                for k in 0..<j where sameKey(keys[k], keys[j]) {
                    found = (k, j)
                    break outer
                }
            }
        } else {
            // Sort by (object, hash, position); equal keys end up side by side.
            let hashes = keys.map { k -> UInt64 in
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                withKeyBytes(k) { for b in $0 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 } }
                return h ^ UInt64(UInt32(bitPattern: k.object)) << 32
            }
            let order = (0..<n).sorted { (hashes[$0], $0) < (hashes[$1], $1) }
            var a = 0
            while a < n {
                var b = a + 1
                while b < n, hashes[order[b]] == hashes[order[a]] { b += 1 }
                if b - a > 1 {
                    for y in (a + 1)..<b {
                        for x in a..<y where sameKey(keys[order[x]], keys[order[y]]) {
                            let pair = (order[x], order[y])
                            if pair.1 < (found?.second ?? Int.max) { found = pair }
                            break
                        }
                    }
                }
                a = b
            }
        }
        guard let (first, second) = found else { return nil }
        let k = keys[second]
        let name = withKeyBytes(k) { String(decoding: $0, as: UTF8.self) }
        let shown = withKeyBytes(k) { KeyText.quoted($0) }
        let top = members.indices.contains(Int(k.member)) ? members[Int(k.member)] : nil
        var problem = Problem(
            reason:
                "duplicate key \(shown) (first at column \(keys[first].offset + 1), again at column \(k.offset + 1)); each key may appear once per object",
            offset: Int(k.offset), key: nil, valueStart: Int(k.offset), value: name)
        if let top {
            problem.key = withKey(top, line: p) { Array($0) }
            if k.object != 0 { problem.valueStart = Int(top.valueStart) }
        }
        return problem
    }

    /// Calls `body` with a member's key (unescaped); `line` is the line's first byte.
    func withKey<R>(_ m: Member, line: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard m.keyInScratch else {
            return body(UnsafeBufferPointer(start: line + Int(m.keyStart), count: Int(m.keyCount)))
        }
        return scratch.withUnsafeBufferPointer {
            body(UnsafeBufferPointer(rebasing: $0[Int(m.keyStart)..<Int(m.keyStart + m.keyCount)]))
        }
    }

    /// Calls `body` with a member's text: a string's content (unescaped), any other value's JSON
    /// text; `line` is the line's first byte.
    func withText<R>(_ m: Member, line: UnsafePointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        guard m.textInScratch else {
            return body(UnsafeBufferPointer(start: line + Int(m.textStart), count: Int(m.textCount)))
        }
        return scratch.withUnsafeBufferPointer {
            body(UnsafeBufferPointer(rebasing: $0[Int(m.textStart)..<Int(m.textStart + m.textCount)]))
        }
    }

    // MARK: Messages

    private func problem(_ what: String, at offset: Int, plain: Bool = false) -> Problem {
        var key: [UInt8]? = nil
        var vs = offset
        if let c = current {
            key =
                c.inScratch
                ? Array(scratch[Int(c.start)..<Int(c.start + c.count)])
                : Array(UnsafeBufferPointer(start: p + Int(c.start), count: Int(c.count)))
            vs = c.valueStart
        }
        let reason = plain ? what : "not valid JSON at column \(offset + 1): \(what)"
        return Problem(reason: reason, offset: offset, key: key, valueStart: vs)
    }

    private func controlCharacter(_ c: UInt8) -> Problem {
        problem(
            "control character 0x\(Self.hex(UInt32(c), digits: 2)) inside a string (write it escaped, e.g. \\n or \\u00\(Self.hex(UInt32(c), digits: 2)))",
            at: i)
    }

    /// "unexpected …" at `p[i]`, saying what was expected there.
    private func unexpected(expecting what: String) -> Problem {
        guard i < end else { return problem("the line ends where \(what) was expected", at: i) }
        let c = p[i]
        if c >= 0x80 {
            guard let n = utf8Length(i) else {
                return problem(
                    "not valid UTF-8 (byte 0x\(Self.hex(UInt32(c), digits: 2).uppercased()) at column \(i + 1)); re-export the file as UTF-8",
                    at: i, plain: true)
            }
            let scalar =
                String(decoding: UnsafeBufferPointer(start: p + i, count: n), as: UTF8.self).unicodeScalars.first?.value
                ?? 0
            if scalar == 0xFEFF {
                return problem(
                    "a byte-order mark (U+FEFF) where \(what) was expected (one is allowed only at the start of the file)",
                    at: i)
            }
            return problem("unexpected character U+\(Self.hex(scalar).uppercased()) where \(what) was expected", at: i)
        }
        return problem("unexpected \(Self.describe(byte: c, after: "")) where \(what) was expected", at: i)
    }

    /// How the line starts, for a line that is not an object.
    private func startDescription() -> String {
        guard i < end else { return "is empty" }
        switch p[i] {
        case 0x5B: return "is an array"
        case 0x22: return "is a string"
        case 0x2D, 0x30...0x39: return "is a number"
        case 0x74, 0x66, 0x6E: return "starts with a word (true, false or null)"
        default: return "starts with \(Self.describe(byte: p[i], after: ""))"
        }
    }

    static func describe(byte c: UInt8, after prefix: String) -> String {
        if c >= 0x21, c < 0x7F { return "'\(prefix)\(String(UnicodeScalar(c)))'" }
        return "byte 0x\(hex(UInt32(c), digits: 2))"
    }

    static func hex(_ v: UInt32, digits: Int = 4) -> String {
        let s = String(v, radix: 16, uppercase: false)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

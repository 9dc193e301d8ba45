import Foundation
import XCTest

@testable import CohortKit

/// The reader's per-line index: the fields (key and value offsets, kinds, escape flags) and the
/// error of every line, good or malformed, are those a plain byte-by-byte indexer finds, also
/// when a line's keys differ from the previous line's (the reader compares each key with the
/// previous line's key at that place before scanning it).
final class JSONLReaderIndexTests: XCTestCase {
    /// One field as offsets from the line's start, as the reader keeps it.
    struct IndexedField: Equatable, CustomStringConvertible {
        var keyStart: Int, keyEnd: Int, valueStart: Int, valueEnd: Int
        var kind: JSONLReader.Kind
        var escaped: Bool
        var description: String { "\(keyStart)-\(keyEnd):\(valueStart)-\(valueEnd) \(kind) \(escaped)" }
    }

    /// One line's index: the fields indexed (those before the error, for a malformed line) and
    /// the error.
    struct IndexedLine: Equatable {
        var fields: [IndexedField]
        var error: String?
    }

    private func write(_ lines: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "index-\(UUID().uuidString).jsonl"
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { unlink(path) }
        return path
    }

    /// The index the reader makes of each non-blank line of `lines`.
    private func readerIndex(_ lines: [String], chunkSize: Int = 256 << 10) throws -> [IndexedLine] {
        let r = try JSONLReader(path: try write(lines), chunkSize: chunkSize)
        var out: [IndexedLine] = []
        while try r.next() {
            let fields = (0..<r.fieldCount).map { i in
                let f = r.fields[i]
                return IndexedField(
                    keyStart: Int(f.keyStart), keyEnd: Int(f.keyEnd), valueStart: Int(f.valueStart),
                    valueEnd: Int(f.valueEnd), kind: f.kind, escaped: f.escaped)
            }
            out.append(IndexedLine(fields: fields, error: r.lineError))
        }
        return out
    }

    /// The index of each non-blank line of `lines`, by `referenceIndex`.
    private func referenceIndex(_ lines: [String]) -> [IndexedLine] {
        lines.map { Array($0.utf8) }.filter { !$0.allSatisfy { $0 == 32 || $0 == 9 } }.map(Self.referenceIndex)
    }

    /// A straightforward indexer of one line, byte by byte, with the reader's rules and errors:
    /// the reference the reader's word-at-a-time scans and key comparisons must agree with.
    static func referenceIndex(_ b: [UInt8]) -> IndexedLine {
        var fields: [IndexedField] = []
        var i = 0
        let end = b.count
        func ws() { while i < end, b[i] == 32 || b[i] == 9 || b[i] == 13 { i += 1 } }
        /// From the opening quote at `i`: the closing quote's index and whether an escape came first.
        func string() -> (Int, Bool)? {
            var j = i + 1
            var escaped = false
            while j < end {
                switch b[j] {
                case 34: return (j, escaped)
                case 92:
                    escaped = true
                    j += 2
                case 0..<32: return nil
                default: j += 1
                }
            }
            return nil
        }
        func done(_ error: String?) -> IndexedLine { IndexedLine(fields: fields, error: error) }
        ws()
        guard i < end, b[i] == UInt8(ascii: "{") else { return done("not a JSON object (expected '{')") }
        i += 1
        ws()
        if i < end, b[i] == UInt8(ascii: "}") {
            i += 1
            ws()
            return done(i == end ? nil : "unexpected text after the object")
        }
        while true {
            ws()
            guard i < end, b[i] == 34, let (keyEnd, keyEscaped) = string() else { return done("expected a quoted key") }
            let keyStart = i + 1
            i = keyEnd + 1
            ws()
            guard i < end, b[i] == UInt8(ascii: ":") else { return done("expected ':' after a key") }
            i += 1
            ws()
            guard i < end else { return done("missing value") }
            let valueStart = i
            var kind = JSONLReader.Kind.null
            var escaped = keyEscaped
            func literal(_ word: String, _ k: JSONLReader.Kind) -> Bool {
                let w = Array(word.utf8)
                guard end - i >= w.count, Array(b[i..<(i + w.count)]) == w else { return false }
                kind = k
                i += w.count
                return true
            }
            switch b[i] {
            case 34:
                guard let (e, es) = string() else { return done("unterminated string") }
                kind = .string
                escaped = escaped || es
                i = e + 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                kind = b[i] == UInt8(ascii: "{") ? .object : .array
                var depth = 0
                while i < end {
                    if b[i] == 34 {
                        guard let (e, _) = string() else { return done("unterminated string") }
                        i = e + 1
                        continue
                    }
                    if b[i] == UInt8(ascii: "{") || b[i] == UInt8(ascii: "[") { depth += 1 }
                    if b[i] == UInt8(ascii: "}") || b[i] == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
                guard depth == 0 else { return done("unterminated object or array") }
            case UInt8(ascii: "t"): guard literal("true", .bool) else { return done("invalid literal") }
            case UInt8(ascii: "f"): guard literal("false", .bool) else { return done("invalid literal") }
            case UInt8(ascii: "n"): guard literal("null", .null) else { return done("invalid literal") }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                kind = .number
                i += 1
                while i < end, Array("0123456789.eE+-".utf8).contains(b[i]) { i += 1 }
            default: return done("invalid value")
            }
            fields.append(
                IndexedField(
                    keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: i, kind: kind,
                    escaped: escaped))
            ws()
            guard i < end else { return done("unterminated object") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                ws()
                return done(i == end ? nil : "unexpected text after the object")
            }
            return done("expected ',' or '}'")
        }
    }

    private func assertSameIndex(_ lines: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let got = try readerIndex(lines)
        let want = referenceIndex(lines)
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for (n, (g, w)) in zip(got, want).enumerated() where g != w {
            XCTFail("line \(n + 1) \(lines[n]): \(g) instead of \(w)", file: file, line: line)
        }
    }

    /// Each line's keys, read back through the reader's accessors.
    private func keys(_ lines: [String]) throws -> [[String]] {
        let r = try JSONLReader(path: try write(lines))
        var out: [[String]] = []
        while try r.next() { out.append(r.keys) }
        return out
    }

    func testKeysThatChangeOrderOrCountFromLineToLine() throws {
        let lines = [
            #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#, #"{"b":2,"a":1,"c":3}"#, #"{"a":1,"c":3}"#,
            #"{"a":1,"c":3,"b":2}"#, #"{"a":1}"#, #"{"a":1,"b":2,"c":3,"d":4}"#, #"{}"#, #"{"a":1,"b":2,"c":3}"#,
            #"{ "a" : 1 , "b":2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#,
        ]
        try assertSameIndex(lines)
        XCTAssertEqual(
            try keys(lines),
            [
                ["a", "b", "c"], ["a", "b", "c"], ["b", "a", "c"], ["a", "c"], ["a", "c", "b"], ["a"],
                ["a", "b", "c", "d"], [], ["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"],
            ])
        let r = try JSONLReader(path: try write(lines))
        var sums: [Int64] = []
        while try r.next() { sums.append((r.int("a") ?? 0) * 100 + (r.int("b") ?? 0) * 10 + (r.int("c") ?? 0)) }
        XCTAssertEqual(sums, [123, 123, 123, 103, 123, 100, 123, 0, 123, 123, 123])
    }

    /// A key that starts another (`plan` and `plan_id`) is not taken for it, either way round.
    func testAKeyThatIsAPrefixOfThePreviousLinesKeyAndTheOtherWayRound() throws {
        let lines = [
            #"{"plan":"a","id":1}"#, #"{"plan_id":"b","id":2}"#, #"{"plan":"c","id":3}"#, #"{"plan":"d","id":4}"#,
            #"{"pla":"e","id":5}"#, #"{"plan":"f","id":6}"#, #"{"plan_id_long_enough_key":"g","id":7}"#,
            #"{"plan_id_long_enough_kez":"h","id":8}"#, #"{"plan_id_long_enough_key":"i","id":9}"#,
        ]
        try assertSameIndex(lines)
        let r = try JSONLReader(path: try write(lines))
        var plans: [String] = []
        while try r.next() {
            plans.append((r.string("plan") ?? "-") + (r.string("plan_id") ?? "-") + "\(r.int("id") ?? 0)")
        }
        XCTAssertEqual(plans, ["a-1", "-b2", "c-3", "d-4", "--5", "f-6", "--7", "--8", "--9"])
    }

    /// Lines that leave out some of the layout's members (one, two or three in a row), that add
    /// one it does not have, or that have a key the layout has further on.
    func testLinesThatLeaveOutOrAddMembers() throws {
        let lines = [
            #"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, #"{"a":1,"c":3,"d":4,"e":5}"#, #"{"a":1,"d":4,"e":5}"#,
            #"{"a":1,"e":5}"#, #"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, #"{"a":1,"b":2,"x":0,"c":3,"d":4,"e":5}"#,
            #"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, #"{"a":1,"d":4,"b":2,"c":3,"e":5}"#, #"{"b":2}"#, #"{"e":5}"#,
            #"{"a" :1,"b": 2,"c":3}"#, #"{"a":1,"b":2,"c":3}"#, #"{"a":1,"b":2,"c":3,"d":4,"e":5}"#,
        ]
        try assertSameIndex(lines)
        let r = try JSONLReader(path: try write(lines))
        var sums: [Int64] = []
        while try r.next() {
            var sum: Int64 = 0
            for key in ["a", "b", "c", "d", "e", "x"] {
                let value = Array(key.utf8).withUnsafeBufferPointer { k in
                    k.baseAddress.flatMap { r.find(key: $0, count: k.count) }.flatMap(r.int(at:))
                }
                sum = sum * 10 + (value ?? 9)
            }
            sums.append(sum)
        }
        XCTAssertEqual(
            sums,
            [
                123_459, 193_459, 199_459, 199_959, 123_459, 123_450, 123_459, 123_459, 929_999, 999_959, 123_999,
                123_999, 123_459,
            ])
    }

    /// Lines with more fields and longer keys than the reader first makes room for, repeated
    /// (their layout kept) and then changed.
    func testLinesWiderThanTheFirstRoom() throws {
        func line(_ count: Int, _ tag: String) -> String {
            "{" + (0..<count).map { #""a_rather_long_key_number_\#($0)\#(tag)":\#($0)"# }.joined(separator: ",") + "}"
        }
        let lines = [
            line(3, ""), line(70, ""), line(70, ""), line(140, "x"), line(140, "x"), line(70, ""), line(3, ""),
        ]
        try assertSameIndex(lines)
        let r = try JSONLReader(path: try write(lines))
        var seen: [Int] = []
        while try r.next() {
            seen.append(r.fieldCount)
            let last = "a_rather_long_key_number_\(r.fieldCount - 1)" + (r.fieldCount == 140 ? "x" : "")
            let value = Array(last.utf8).withUnsafeBufferPointer { k in
                k.baseAddress.flatMap { r.find(key: $0, count: k.count) }.flatMap(r.int(at:))
            }
            seen.append(Int(value ?? -1))
        }
        XCTAssertEqual(seen, [3, 2, 70, 69, 70, 69, 140, 139, 140, 139, 70, 69, 3, 2])
    }

    /// Escaped keys keep their `escaped` flag when the next line repeats them, and a line whose
    /// key differs from them only in what follows a backslash is scanned.
    func testEscapedKeys() throws {
        let lines = [
            #"{"a\"b":1,"c":"x"}"#, #"{"a\"b":2,"c":"y"}"#, #"{"a\\b":3,"c":"z"}"#, #"{"a\\":4,"c":"w"}"#,
            #"{"a\\":5,"c":"v"}"#, #"{"\u0061":6,"c":"u"}"#, #"{"\u0061":7,"c":"t"}"#, #"{"a\"b":8,"c":"s"}"#,
        ]
        try assertSameIndex(lines)
        let r = try JSONLReader(path: try write(lines))
        var escaped: [Bool] = []
        while try r.next() { escaped.append(r.fields[0].escaped || r.fields[1].escaped) }
        XCTAssertEqual(escaped, [true, true, true, true, true, true, true, true])
        XCTAssertEqual(
            try keys(lines),
            [#"a\"b"#, #"a\"b"#, #"a\\b"#, #"a\\"#, #"a\\"#, #"\u0061"#, #"\u0061"#, #"a\"b"#].map { [$0, "c"] })
    }

    /// A line whose keys are the previous line's but whose value is malformed gets the same error
    /// as any line; the next well-formed line of that layout reads in full.
    func testMatchingKeysWithAMalformedValueThenTheSameLayoutAgain() throws {
        let lines = [
            #"{"id":"C1","n":1,"ok":true}"#, #"{"id":"C2,"n":1,"ok":true}"#, #"{"id":"C3","n":1,"ok":true}"#,
            #"{"id":"C4","n":tru,"ok":true}"#, #"{"id":"C5","n":1,"ok":fals}"#, #"{"id":"C6","n":1,"ok":true"#,
            #"{"id":"C7","n":1,"ok":true}x"#, #"{"id":"C8","n":1 "ok":true}"#, #"{"id":"C9","n":1,"ok":true}"#,
            #"{"id":"C10","n":1,"ok""#, #"{"id":"C11","n":1,"ok":"#, #"{"id":"C12","n":1,"ok":true}"#,
            "{\"id\":\"C\u{1}13\",\"n\":1,\"ok\":true}", #"{"id":"C14","n":1,"ok":true}"#,
        ]
        try assertSameIndex(lines)
        let r = try JSONLReader(path: try write(lines))
        var seen: [String] = []
        while try r.next() { seen.append(r.lineError ?? (r.string("id") ?? "?") + "\(r.bool("ok") ?? false)") }
        XCTAssertEqual(
            seen,
            [
                "C1true", "expected ',' or '}'", "C3true", "invalid literal", "invalid literal", "unterminated object",
                "unexpected text after the object", "expected ',' or '}'", "C9true", "expected ':' after a key",
                "missing value", "C12true", "unterminated string", "C14true",
            ])
    }

    /// A key looked up by run-time bytes, the empty key included.
    func testValueBytesByADynamicKey() throws {
        let lines = [#"{"":5,"k":"v","n":null}"#, #"{"":6,"k":"a\"b","n":7}"#]
        let r = try JSONLReader(path: try write(lines))
        var seen: [String] = []
        while try r.next() {
            for key in ["", "k", "n", "missing"] {
                seen.append(
                    r.withValueBytes(forKey: Array(key.utf8)) {
                        $0.map { String(decoding: $0, as: UTF8.self) } ?? "nil"
                    })
            }
        }
        XCTAssertEqual(seen, ["5", "v", "nil", "nil", "6", #"a"b"#, "7", "nil"])
    }

    /// Thousands of generated lines, mostly repeating one of a few layouts with others, changed
    /// ones and corrupted ones between: the reader indexes each as the reference does.
    func testRandomLinesIndexAsTheReferenceDoes() throws {
        let seed: UInt64 = 20_261_130
        var rng = SplitMix64(seed: seed)
        let keyPool = [
            "customer_id", "customer", "c", "plan", "plan_id", "p", "start", "start_date", "end",
            "mrr_minor", "a_key_of_twenty_five_byte", "a_key_of_twenty_five_bytf", #"q\"uote"#, #"back\\"#,
            #"\u00e9t\u00e9"#, "été", "", "k1", "k12", "k123", "k1234", "k12345", "k123456", "k1234567", "k12345678",
        ]
        let layouts: [[String]] = (0..<6).map { _ in
            (0..<Int.random(in: 1...9, using: &rng)).map { _ in keyPool[Int.random(in: 0..<keyPool.count, using: &rng)]
            }
        }
        func value() -> String {
            switch Int.random(in: 0..<9, using: &rng) {
            case 0: return "\(Int.random(in: -99_999...99_999, using: &rng))"
            case 1: return "1.5e3"
            case 2: return Bool.random(using: &rng) ? "true" : "false"
            case 3: return "null"
            case 4: return #"{"x":[1,"}"],"y":{"z":null}}"#
            case 5: return #"["a\"",2,[]]"#
            case 6: return #""with \"escape\" and \\""#
            default:
                let n = Int.random(in: 0...20, using: &rng)
                return "\"" + String((0..<n).map { _ in "abcXYZ019-_ é".randomElement(using: &rng) ?? "a" }) + "\""
            }
        }
        var keys = layouts[0]
        var lines: [String] = [#"{"first":1}"#]
        for _ in 0..<6_000 {
            switch Int.random(in: 0..<20, using: &rng) {
            case 0: keys = layouts[Int.random(in: 0..<layouts.count, using: &rng)]
            case 1 where !keys.isEmpty: keys.remove(at: Int.random(in: 0..<keys.count, using: &rng))
            case 2:
                keys.insert(keyPool.randomElement(using: &rng) ?? "x", at: Int.random(in: 0...keys.count, using: &rng))
            case 3: keys.shuffle(using: &rng)
            default: break
            }
            let space = Int.random(in: 0..<10, using: &rng) == 0 ? " " : ""
            let members = keys.map { "\(space)\"\($0)\"\(space):\(space)\(value())" }
            var line = Array(("{" + members.joined(separator: ",") + "}").utf8)
            if Int.random(in: 0..<5, using: &rng) == 0 {
                // Corrupt one byte, or cut the line short, or put a byte in.
                let bytes = Array("\"\\:,{}[] \t\u{1}atfn0-.e".utf8)
                let at = Int.random(in: 0..<line.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: line[at] = bytes[Int.random(in: 0..<bytes.count, using: &rng)]
                case 1: line.removeSubrange(at...)
                default: line.insert(bytes[Int.random(in: 0..<bytes.count, using: &rng)], at: at)
                }
            }
            // Blank lines are skipped before indexing: keep none, so results pair with lines.
            if !line.allSatisfy({ $0 == 32 || $0 == 9 }) { lines.append(String(decoding: line, as: UTF8.self)) }
        }
        let got = try readerIndex(lines, chunkSize: 4096)
        let want = referenceIndex(lines)
        XCTAssertEqual(got.count, want.count, "seed \(seed)")
        var failures = 0
        for (n, (g, w)) in zip(got, want).enumerated() where g != w && failures < 5 {
            failures += 1
            XCTFail("seed \(seed), line \(n + 1) \(lines[n]): \(g) instead of \(w)")
        }
        // The corruptions reach every kind of error, so each error path is compared.
        XCTAssertEqual(
            Set(want.compactMap(\.error)),
            [
                "not a JSON object (expected '{')", "expected a quoted key", "expected ':' after a key",
                "missing value",
                "unterminated string", "unterminated object or array", "invalid literal", "invalid value",
                "unterminated object", "expected ',' or '}'", "unexpected text after the object",
            ])
    }
}

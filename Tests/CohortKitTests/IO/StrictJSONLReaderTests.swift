import Foundation
import XCTest

@testable import CohortKit

/// The strict JSON Lines reader for inputs: RFC 8259's grammar line by line (accept and reject
/// tables), surrogates, UTF-8 edge cases (Unicode §3.9 table 3-7), duplicate keys, and the
/// file-level rules (BOM only at the start, `\r\n`, blank lines, a last line without `\n`).
final class StrictJSONLReaderTests: XCTestCase {
    private func problem(_ bytes: [UInt8]) -> String? {
        var line = StrictJSONLine()
        return bytes.withUnsafeBufferPointer { line.parse($0) }?.reason
    }

    private func problem(_ text: String) -> String? { problem(Array(text.utf8)) }

    func testAcceptsWhatRFC8259Allows() {
        let valid = [
            #"{}"#, #"{"a":1}"#, " \t{ \"a\" :\r[ 1 , 2 ] }\t ", #"{"a":-0}"#, #"{"a":0.5}"#, #"{"a":1e10}"#,
            #"{"a":1E+2}"#,
            #"{"a":-1.5e-3}"#, #"{"a":0e0}"#, #"{"a":true,"b":false,"c":null}"#, #"{"a":"\u00e9\n\t\"\\\/\b\f\r"}"#,
            #"{"a":"\ud83d\ude00"}"#, #"{"a":"\uD83D\uDE00"}"#, #"{"a":{"b":{"c":[]}}}"#, #"{"":""}"#,
            #"{"a":"é 日本 😀"}"#,
            #"{"a":"\uffff\u0000"}"#, #"{"a":[{"a":1},{"a":1}]}"#, #"{"a":[[],{},"",0,[null]]}"#, #"{"a":"\ufeff"}"#,
            #"{"a":1,"b":{"a":2}}"#, #"{"a":12345678901234567890123456789}"#,
        ]
        for v in valid { XCTAssertNil(problem(v), v) }
    }

    func testRejectsWhatRFC8259DoesNot() {
        let invalid: [(String, String)] = [
            ("[1,2]", "not a JSON object"), (#""x""#, "not a JSON object"), ("1", "not a JSON object"),
            ("-", "not a JSON object"),
            ("01", "not a JSON object"), ("true", "not a JSON object"), ("null", "not a JSON object"),
            (#"{"a":01}"#, "leading zero"), (#"{"a":-01}"#, "leading zero"),
            (#"{"a":-}"#, "'-' must be followed by digits"),
            (#"{"a":-a}"#, "'-' must be followed by digits"), (#"{"a":1.}"#, "decimal point"),
            (#"{"a":1.e3}"#, "decimal point"),
            (#"{"a":.5}"#, "unexpected '.'"), (#"{"a":1e}"#, "exponent"), (#"{"a":1e+}"#, "exponent"),
            (#"{"a":+1}"#, "unexpected '+'"),
            (#"{"a":0x10}"#, "',' or '}' was expected"), (#"{"a":Infinity}"#, "unexpected 'I'"),
            (#"{"a":NaN}"#, "unexpected 'N'"),
            (#"{"a":tru}"#, "true, false and null"), (#"{"a":True}"#, "unexpected 'T'"),
            (#"{"a":nul}"#, "true, false and null"),
            (#"{"a":"x}"#, "not closed"), (#"{"a":"\x"}"#, #"invalid escape '\x'"#), (#"{"a":"\'"}"#, "invalid escape"),
            (#"{"a":"\u12"}"#, "four hex digits"), (#"{"a":"\uZZZZ"}"#, "four hex digits"),
            (#"{"a":"\ud800"}"#, #"lone surrogate \ud800"#), (#"{"a":"\udc00"}"#, #"lone surrogate \udc00"#),
            (#"{"a":"\ud800\u0041"}"#, "lone surrogate"), (#"{"a":"\ud800x"}"#, "lone surrogate"),
            (#"{"a":"\ude00\ud83d"}"#, "lone surrogate"),
            ("{\"a\":\"a\u{01}b\"}", "control character 0x01"), ("{\"a\":\"a\tb\"}", "control character 0x09"),
            ("{\"a\":\"a\u{0}b\"}", "control character 0x00"), ("{\"a\":\"a\rb\"}", "control character 0x0d"),
            (#"{a:1}"#, "a quoted key"), (#"{'a':1}"#, "a quoted key"), (#"{"a" 1}"#, "':' after the key"),
            (#"{"a":1,}"#, "a quoted key"),
            (#"{"a":1 "b":2}"#, "',' or '}'"), (#"{"a":[1,]}"#, "a value was expected"), (#"{"a":[1}"#, "',' or ']'"),
            (#"{"a":{"b":1]}"#, "',' or '}'"), (#"{"a":1}}"#, "one object per line"),
            (#"{"a":1}{}"#, "one object per line"),
            (#"{"a":1"#, "not closed"), ("{", "the line ends where a quoted key was expected"),
            (#"{"a":}"#, "a value was expected"), (#"{"a":[1"#, "not closed"),
            ("{\"a\":\u{0C}1}", "byte 0x0c"), ("{\"a\":\u{0B}1}", "byte 0x0b"), ("{\"a\":\u{A0}1}", "U+00A0"),
            (#"{"a":1,"a":2}"#, #"duplicate key "a""#), (#"{"a":1,"\u0061":2}"#, #"duplicate key "a""#),
            (#"{"x":{"a":1,"b":2,"a":3}}"#, #"duplicate key "a""#), (#"{"x":[{"a":1,"a":1}]}"#, "duplicate key"),
        ]
        for (line, reason) in invalid {
            let p = problem(line)
            XCTAssertNotNil(p, line)
            XCTAssertTrue(p?.contains(reason) ?? false, "\(line): \(p ?? "accepted"), expected \(reason)")
        }
    }

    func testNestingIsLimited() {
        let ok = "{\"a\":" + String(repeating: "[", count: 63) + String(repeating: "]", count: 63) + "}"
        XCTAssertNil(problem(ok))
        let deep = "{\"a\":" + String(repeating: "[", count: 64) + String(repeating: "]", count: 64) + "}"
        XCTAssertTrue(problem(deep)?.contains("nested deeper than 64") ?? false)
        // A hostile line a million brackets deep ends in a reject, not a stack overflow.
        let huge = "{\"a\":" + String(repeating: "[{\"b\":", count: 1_000_000)
        XCTAssertTrue(problem(huge)?.contains("nested deeper") ?? false)
    }

    func testDuplicateKeysAmongManyAreFound() {
        var keys = (0..<5000).map { "\"k\($0)\":\($0)" }
        XCTAssertNil(problem("{" + keys.joined(separator: ",") + "}"))
        keys.append("\"k4321\":0")
        XCTAssertTrue(problem("{" + keys.joined(separator: ",") + "}")?.contains(#"duplicate key "k4321""#) ?? false)
        // The same keys in sibling objects are fine.
        XCTAssertNil(problem(#"{"x":{"k":1},"y":{"k":1},"k":{"k":{"k":1}}}"#))
    }

    func testUTF8EdgeCases() {
        func inString(_ bytes: [UInt8]) -> String? { problem(Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)) }
        let good: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xEF, 0xBB, 0xBF],
        ]
        for g in good { XCTAssertNil(inString(g), "\(g)") }
        let bad: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF],  // stray continuation, overlong 2-byte
            // overlong 3- and 4-byte
            [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80],  // surrogates (CESU-8)
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFE], [0xFF],  // above U+10FFFF
            [0xE3, 0x81], [0xF0, 0x9F, 0x98], [0xC3], [0xE3, 0x41, 0x81], [0xC3, 0xC3, 0xA9],  // truncated
        ]
        for b in bad {
            XCTAssertTrue(inString(b)?.contains("not valid UTF-8") ?? false, "\(b): \(inString(b) ?? "accepted")")
        }
        // Outside a string too, and a truncated sequence at the very end of the line.
        XCTAssertTrue(problem([0x7B, 0xFF, 0x7D])?.contains("not valid UTF-8") ?? false)
        XCTAssertTrue(problem(Array(#"{"a":"x"#.utf8) + [0xE3])?.contains("not valid UTF-8") ?? false)
    }

    /// Strings are scanned eight bytes at a time: a special byte must be seen at any offset.
    func testSpecialBytesAreSeenAtEveryOffset() {
        let tail = "bcdefghijklmnopqrstu\"}"
        for offset in 0..<20 {
            let head = "{\"a\":\"" + String(repeating: "a", count: offset)
            XCTAssertTrue(problem(head + "\u{01}" + tail)?.contains("control character 0x01") ?? false, "\(offset)")
            XCTAssertTrue(problem(head + "\u{1F}" + tail)?.contains("control character 0x1f") ?? false, "\(offset)")
            XCTAssertTrue(
                problem(Array(head.utf8) + [0xFF] + Array(tail.utf8))?.contains("not valid UTF-8") ?? false, "\(offset)"
            )
            XCTAssertTrue(
                problem(Array(head.utf8) + [0xC3] + Array(tail.utf8))?.contains("not valid UTF-8") ?? false, "\(offset)"
            )
            // The quote ends the string.
            XCTAssertTrue(problem(head + "\"" + tail)?.contains("',' or '}'") ?? false, "\(offset)")
            XCTAssertTrue(problem(head + "\\q" + tail)?.contains("invalid escape") ?? false, "\(offset)")
            XCTAssertNil(problem(head + "\\\"\u{7F}é~ " + tail), "\(offset)")
        }
    }

    func testMembersAreDecoded() {
        var line = StrictJSONLine()
        let text = Array(#"{"k\u00e9y":"a\\b\ud83d\ude00","n":-1.5e3,"o":{"x":[1]},"p":"plain","z":null}"#.utf8)
        text.withUnsafeBufferPointer { b in
            XCTAssertNil(line.parse(b))
            let base = b.baseAddress!
            let got = line.members.map { m in
                (
                    line.withKey(m, line: base) { String(decoding: $0, as: UTF8.self) }, m.kind,
                    line.withText(m, line: base) { String(decoding: $0, as: UTF8.self) }
                )
            }
            XCTAssertEqual(got.map(\.0), ["kéy", "n", "o", "p", "z"])
            XCTAssertEqual(got.map(\.1), [.string, .number, .object, .string, .null])
            XCTAssertEqual(got.map(\.2), ["a\\b😀", "-1.5e3", #"{"x":[1]}"#, "plain", "null"])
        }
    }

    private func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("strict-\(UUID().uuidString).jsonl")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// (line number, problem) of every line the reader hands out.
    private func lines(_ bytes: [UInt8], chunkSize: Int = 4 << 20) throws -> [(Int, String?)] {
        let r = try StrictJSONLReader(path: try write(bytes), chunkSize: chunkSize)
        var out: [(Int, String?)] = []
        while try r.next() { out.append((r.lineNumber, r.problem?.reason)) }
        return out
    }

    func testFileLevelRules() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        // BOM at the start, CRLF, blank lines (skipped but counted), a last line without newline.
        let file = bom + Array("{\"a\":1}\r\n\r\n \t\n{\"a\":2}\n\n{\"a\":3}".utf8)
        for chunk in [4 << 20, 16] {  // also with lines cut across chunk reads
            let got = try lines(file, chunkSize: chunk)
            XCTAssertEqual(got.map(\.0), [1, 4, 6])
            XCTAssertEqual(got.compactMap(\.1), [])
        }
        // A BOM anywhere else is an error of that line.
        let later = try lines(Array("{\"a\":1}\n".utf8) + bom + Array("{\"a\":2}\n".utf8))
        XCTAssertNil(later[0].1)
        XCTAssertTrue(later[1].1?.contains("byte-order mark") ?? false, "\(later)")
        // A bare CR inside a line is whitespace between tokens (RFC 8259 §2).
        XCTAssertNil(try lines(Array("{\"a\":\r1}\n".utf8))[0].1)
        // An empty file is zero lines.
        XCTAssertEqual(try lines([]).count, 0)
    }

    /// Read on a second thread (`PrefetchingReader`), a typed source gives the same rows, errors,
    /// error fields and values, and fields (escaped strings, written-out numbers, attributes).
    func testPrefetchedRowsAreTheSameAsReadDirectly() throws {
        var text = ""
        for i in 0..<40_000 {
            switch i % 6 {
            case 0:
                text += #"{"customer_id":"C\#(i)","start_date":"2024-01-01","mrr":1.5e\#(i % 4),"note":"a\"b"}"# + "\n"
            case 1: text += #"{"customer_id":"C\#(i)","start_date":2024}"# + "\n"
            case 2:
                text +=
                    #"{"customer_id":"C\#(i)","plan":"caf\u00e9","start_date":"2024-01-01","amount":"1,200"}"# + "\n"
            case 3: text += "{\"customer_id\":\"C\(i)\",\"x\":[1}\n"
            case 4: text += "\n"
            default: text += #"{"customer_id":"C\#(i)","start_date":"2024-01-01","mrr":"1000","mrr":"1"}"# + "\n"
            }
        }
        let path = try write(Array(text.utf8))
        let source = PipelineConfig.Source(
            kind: .subscriptions, path: path, format: .jsonl, columns: [:], dialect: CSVDialect(),
            dateFormat: .iso, timezone: .utc, currency: nil, optional: false)
        struct Seen: Equatable { var line: Int, error: String?, field: String, value: String, fields: [String?] }
        func readAll(_ r: SourceReader) throws -> [Seen] {
            let columns = ["customer_id", "plan", "start_date", "mrr", "amount", "note"].compactMap {
                r.column(named: $0)
            }
            var out: [Seen] = []
            while try r.next() {
                out.append(
                    Seen(
                        line: r.line, error: r.rowError, field: r.rowErrorField, value: r.rowErrorValue,
                        fields: columns.map { c in r.withField(c) { $0.map { String(decoding: $0, as: UTF8.self) } } }))
            }
            return out
        }
        let direct = try readAll(try JSONLSourceReader(path: path, schema: .init(source: source)))
        let prefetched = try readAll(
            PrefetchingReader(try JSONLSourceReader(path: path, schema: .init(source: source))))
        XCTAssertEqual(direct.count, 40_000 / 6 * 5 + 4)
        XCTAssertEqual(direct, prefetched)
        XCTAssertEqual(direct[0].fields, ["C0", nil, "2024-01-01", "1.5", nil, "a\"b"])
        XCTAssertEqual(direct[2].fields, ["C2", "café", "2024-01-01", nil, "1,200", nil])
        XCTAssertEqual(direct[1].field, "start_date")
        XCTAssertEqual(direct[4].field, "mrr")
    }

    func testSourceReaderTypesAndAttributes() throws {
        for (text, want) in [
            ("1.5e3", "1500"), ("25E-1", "2.5"), ("-1e0", "-1"), ("1e-3", "0.001"), ("0e5", "0"),
            ("123.456e2", "12345.6"), ("-0.5e1", "-5"), ("1E+2", "100"),
        ] {
            let got = Array(text.utf8).withUnsafeBufferPointer { JSONLSourceReader.plainDecimal($0) }
            XCTAssertEqual(got.map { String(decoding: $0, as: UTF8.self) }, want, text)
        }
        for text in ["1e41", "1e400", "1e-1001", "1e999999999999"] {
            XCTAssertNil(Array(text.utf8).withUnsafeBufferPointer { JSONLSourceReader.plainDecimal($0) }, text)
        }
        XCTAssertEqual(
            [0x61, 0xFF, 0xC3, 0xA9, 0xE3].withUnsafeBufferPointer { JSONLSourceReader.display($0) }, "a\\xFFé\\xE3")

        var source = PipelineConfig.Source(
            kind: .customers, path: "", format: .jsonl, columns: ["region": "地域"], dialect: CSVDialect(),
            dateFormat: .iso, timezone: .utc, currency: nil, optional: false)
        source.path = try write(
            Array(
                """
                {"customer_id":"C1","地域":"関東","seats":5,"vip":false,"tags":["a"],"x":null}
                {"customer_id":7}
                {"signup_date":"2024-01-01"}
                {"customer_id":"C2","signup_date":"2024-01-01","acquisition_channel":{"a":1}}
                {"customer_id":"C3","customer_id":"C3"}

                """.utf8))
        let r = try JSONLSourceReader(path: source.path, schema: .init(source: source))
        let id = try XCTUnwrap(r.column(named: "customer_id"))
        let attrs = try XCTUnwrap(r.column(named: JSONLSourceReader.attributesColumn))
        var seen: [String] = []
        while try r.next() {
            if let e = r.rowError {
                seen.append("\(r.line) \(r.rowErrorField)=\(r.rowErrorValue): \(e)")
            } else {
                var pairs: [(String, String)] = []
                r.withField(attrs) {
                    JSONLSourceReader.forEachAttribute($0) { k, v in
                        pairs.append((String(decoding: k, as: UTF8.self), String(decoding: v, as: UTF8.self)))
                    }
                }
                seen.append(
                    "\(r.line) \(r.string(id) ?? "-") " + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
            }
        }
        XCTAssertEqual(
            seen,
            [
                "1 C1 region=関東 seats=5 vip=false tags=[\"a\"]",
                "2 customer_id=7: expected a JSON string, got a number",
                "3 customer_id=: required key \"customer_id\" is missing: the line's keys are \"signup_date\"; map the key that holds customer_id in sources.customers.columns",
                "4 acquisition_channel={\"a\":1}: expected a JSON string, got an object",
                "5 customer_id=customer_id: duplicate key \"customer_id\" (first at column 2, again at column 21); each key may appear once per object",
            ])
    }

    /// A line lacking a required key names the keys it has, each escaped, quoted and cut, at
    /// most eight of them: keys from the data reach the terminal in the reject-limit error, so a
    /// control character, a quote, a megabyte-long key or a hundred thousand keys stay short and
    /// inert. A duplicate key is quoted the same way.
    func testKeysFromTheDataAreQuotedEscapedAndCutInReasons() throws {
        var source = PipelineConfig.Source(
            kind: .events, path: "", format: .jsonl, columns: [:], dialect: CSVDialect(),
            dateFormat: .iso, timezone: .utc, currency: nil, optional: false)
        let long = String(repeating: "k", count: 1_000_000)
        let many = (0..<100_000).map { "\"k\($0)\":1" }.joined(separator: ",")
        source.path = try write(
            Array(
                (#"{"\u001b[2J\u001b[1;32mingest: ok\n":1,"a\", \"b":{"c":1},"event":"x"}"# + "\n"
                    + "{\"\(long)\":1}\n{\(many)}\n"
                    + #"{"customer_id":"C1","\u202Ex":1,"\u202Ex":2}"# + "\n").utf8))
        let r = try JSONLSourceReader(path: source.path, schema: .init(source: source))
        var reasons: [String] = []
        var groups: [String] = []
        while try r.next() {
            reasons.append(r.rowError ?? "")
            groups.append(r.rowErrorGroup)
        }
        XCTAssertEqual(reasons.count, 4)
        XCTAssertEqual(
            reasons[0],
            #"required key "customer_id" is missing: the line's keys are "\u001b[2J\u001b[1;32mingest: ok\u000a", "a\", \"b", "event" (keys inside "a\", \"b" are not read: flatten the file first); map the key that holds customer_id in sources.events.columns"#
        )
        XCTAssertFalse(reasons.joined().unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" })
        XCTAssertLessThan(reasons[1].utf8.count, 300, "a megabyte-long key is cut")
        XCTAssertTrue(reasons[1].contains("\"" + String(repeating: "k", count: 64) + "…\""), reasons[1])
        XCTAssertLessThan(reasons[2].utf8.count, 300, "eight of 100,000 keys")
        XCTAssertTrue(
            reasons[2].hasSuffix(#""k7" and 99992 more; map the key that holds customer_id in sources.events.columns"#),
            reasons[2])
        XCTAssertEqual(groups[0..<3], [String](repeating: #"required key "customer_id" is missing"#, count: 3)[...])
        XCTAssertTrue(reasons[3].hasPrefix(#"duplicate key "\u202ex" (first at column"#), reasons[3])
    }

    /// The JSON Lines reader's schema and the configuration's list of fields (which `columns` keys
    /// are checked against) name the same fields in the same order for every kind of source.
    func testTheReadersSchemaNamesTheConfigurationsFields() {
        for kind in PipelineConfig.SourceKind.allCases {
            let source = PipelineConfig.Source(
                kind: kind, path: "x.jsonl", format: .jsonl, columns: [:], dialect: CSVDialect(),
                dateFormat: .iso, timezone: .utc, currency: nil, optional: false)
            XCTAssertEqual(JSONLSourceReader.Schema(source: source).fields.map(\.name), kind.fields, "\(kind)")
        }
    }
}

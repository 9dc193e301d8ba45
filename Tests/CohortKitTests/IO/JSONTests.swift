import XCTest

@testable import CohortKit

final class JSONTests: XCTestCase {
    func testParserKeepsOrderAndNumberText() throws {
        let v = try JSONParser.parse(#"{"b": 1, "a": [true, null, "x\u00e9\n"], "r": 150.0}"#)
        XCTAssertEqual(v.objectValue?.map(\.0), ["b", "a", "r"])
        XCTAssertEqual(v["a"]?.arrayValue?[2].stringValue, "xé\n")
        XCTAssertEqual(v["r"], .number("150.0"))
    }

    func testParserErrorsNameLineAndColumn() {
        XCTAssertThrowsError(try JSONParser.parse("{\n  \"a\": 1,\n}")) { e in
            guard let e = e as? JSONParseError else { return XCTFail("\(e)") }
            XCTAssertEqual(e.line, 3)
        }
        XCTAssertThrowsError(try JSONParser.parse(#"{"a": 1, "a": 2}"#))
        XCTAssertThrowsError(try JSONParser.parse("[1, 2"))
        XCTAssertThrowsError(try JSONParser.parse("01"))
    }

    /// 200,000 keys: the duplicate check once compared each key with every earlier one (40,000
    /// keys took seconds, this many would take minutes). Checked by result, not by time.
    func testDuplicateKeysAreFoundInLargeObjectsInLinearTime() throws {
        let n = 200_000
        var text = "{" + (0..<n).map { "\"k\($0)\": \($0)" }.joined(separator: ",")
        let v = try JSONParser.parse(text + "}")
        XCTAssertEqual(v.objectValue?.count, n)
        XCTAssertEqual(v.objectValue?.last?.0, "k\(n - 1)")
        text += ", \"k123\": 0}"
        XCTAssertThrowsError(try JSONParser.parse(text)) { e in
            XCTAssertTrue("\(e)".contains("duplicate key \"k123\""), "\(e)")
        }
        // Small objects (a scan) and the switch to the set at 8 keys find duplicates alike.
        for size in 1...12 {
            let keys = (0..<size).map { "\"a\($0)\": 1" }
            XCTAssertNoThrow(try JSONParser.parse("{" + keys.joined(separator: ",") + "}"))
            for dup in 0..<size {
                XCTAssertThrowsError(
                    try JSONParser.parse("{" + (keys + ["\"a\(dup)\": 2"]).joined(separator: ",") + "}"),
                    "size \(size), dup \(dup)")
            }
        }
    }

    func testBuilderEscapesAndFormats() {
        let b = JSONLineBuilder()
        b.beginObject()
        b.key("s")
        b.string("a\"b\\c\n\u{01}é")
        b.key("i")
        b.int(-42)
        b.key("d")
        b.double(0.25)
        b.key("w")
        b.double(1)
        b.key("n")
        b.double(Double.nan)
        b.key("day")
        b.day(Day(iso: "2024-02-29"))
        b.key("arr")
        b.beginArray()
        b.int(1)
        b.int(2)
        b.endArray()
        b.endObject()
        XCTAssertEqual(
            String(decoding: b.bytes, as: UTF8.self),
            #"{"s":"a\"b\\c\n\u0001é","i":-42,"d":0.25,"w":1.0,"n":null,"day":"2024-02-29","arr":[1,2]}"#)
    }

    /// Integer extremes, dates outside the precomputed table, months, raw JSON and a line long
    /// enough to make the buffer grow several times; `reset` starts a fresh line.
    func testBuilderEdgesAndGrowth() {
        let b = JSONLineBuilder(capacity: 4)
        b.beginObject()
        b.key("min")
        b.int(Int64.min)
        b.key("max")
        b.int(Int64.max)
        b.key("zero")
        b.int(0)
        b.key("late")
        b.day(Day(year: 2250, month: 7, day: 4))
        b.key("early")
        b.day(Day(year: 1969, month: 12, day: 31))
        b.key("m")
        b.month(Month(year: 2024, month: 3))
        b.key("m0")
        b.month(Month(year: 987, month: 11))
        b.key("raw")
        b.raw(Array(#"{"a":[1]}"#.utf8))
        b.key("long")
        b.string(String(repeating: "x\t", count: 300))
        b.endObject()
        let text = String(decoding: b.bytes, as: UTF8.self)
        XCTAssertEqual(
            text,
            #"{"min":-9223372036854775808,"max":9223372036854775807,"zero":0,"late":"2250-07-04","early":"1969-12-31","m":"2024-03","m0":"0987-11","raw":{"a":[1]},"long":""#
                + String(repeating: #"x\t"#, count: 300) + #""}"#)
        b.reset()
        b.beginObject()
        b.key("k")
        b.null()
        b.endObject()
        XCTAssertEqual(String(decoding: b.bytes, as: UTF8.self), #"{"k":null}"#)
    }

    /// The eight-bytes-at-a-time check finds every byte that must be escaped, wherever it sits
    /// in a word or in the tail, and lets plain ASCII and UTF-8 through.
    func testEscapeScanFindsEverySpecialByte() {
        func naive(_ b: [UInt8]) -> Bool { !b.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C } }
        let plain = Array("abcdefghijklmnopqrstuvwxyz é ü 日本".utf8)
        for n in 0...plain.count {
            for special: UInt8 in [0x00, 0x01, 0x09, 0x0A, 0x1F, 0x22, 0x5C] {
                for at in 0..<max(n, 1) where n > 0 {
                    var b = Array(plain[0..<n])
                    b[at] = special
                    XCTAssertEqual(
                        b.withUnsafeBufferPointer { JSONLineBuilder.needsNoEscaping($0.baseAddress!, n) }, naive(b),
                        "length \(n), byte \(special) at \(at)")
                }
            }
            let b = Array(plain[0..<n])
            if n > 0 {
                XCTAssertTrue(b.withUnsafeBufferPointer { JSONLineBuilder.needsNoEscaping($0.baseAddress!, n) })
            }
        }
        // Bytes just around the special ones are not escaped.
        let near: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xFF, 0x20, 0x21]
        XCTAssertTrue(near.withUnsafeBufferPointer { JSONLineBuilder.needsNoEscaping($0.baseAddress!, near.count) })
    }

    func testJSONLRoundTripThroughFiles() throws {
        let dir = NSTemporaryDirectory() + "jsonl-\(UUID().uuidString)"
        let path = dir + "/x.jsonl"
        let w = try JSONLWriter(path: path)
        for i in 0..<10_000 {
            w.begin()
            w.line.key("id")
            w.line.string("C\(i)")
            w.line.key("n")
            w.line.int(i * 3)
            w.line.key("text")
            w.line.string(i % 7 == 0 ? "quote \" and \\ and \n" : "plain")
            w.line.key("day")
            w.line.day(Day(raw: Int32(19000 + i % 400)))
            w.line.key("nested")
            w.line.beginObject()
            w.line.key("k")
            w.line.string("v\(i)")
            w.line.endObject()
            w.line.key("nothing")
            w.line.null()
            try w.end()
        }
        try w.commit()
        // The digest of the bytes as a whole, independent of the chunked file reads under test.
        let digest = SHA256.hex(of: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        XCTAssertEqual(try SHA256.hex(ofFile: path), digest)
        let fileDigest = FileDigest(path: path, mode: .background)
        let r = try JSONLReader(path: path, chunkSize: 4096)  // small chunks: lines span reads
        var n = 0
        while try r.next() {
            XCTAssertNil(r.lineError)
            XCTAssertEqual(r.string("id"), "C\(n)")
            XCTAssertEqual(r.int("n"), Int64(n * 3))
            XCTAssertEqual(r.string("text"), n % 7 == 0 ? "quote \" and \\ and \n" : "plain")
            XCTAssertEqual(r.day("day"), Day(raw: Int32(19000 + n % 400)))
            XCTAssertEqual(r.value("nested")?["k"]?.stringValue, "v\(n)")
            XCTAssertEqual(r.kind("nothing"), .null)
            XCTAssertNil(r.int("missing"))
            n += 1
        }
        XCTAssertEqual(n, 10_000)
        XCTAssertEqual(fileDigest.hex(), digest)
    }

    func testReaderFlagsBadLinesAndSkipsBlankOnes() throws {
        let path = NSTemporaryDirectory() + "bad-\(UUID().uuidString).jsonl"
        try AtomicFileWriter.write("{\"a\":1}\n\n   \nnot json\n{\"a\":\"unterminated}\n{\"a\":2}", to: path)
        let r = try JSONLReader(path: path)
        var seen: [(Int, String?)] = []
        while try r.next() { seen.append((r.lineNumber, r.lineError)) }
        XCTAssertEqual(seen.map(\.0), [1, 4, 5, 6])
        XCTAssertNil(seen[0].1)
        XCTAssertNotNil(seen[1].1)
        XCTAssertNotNil(seen[2].1)
        XCTAssertNil(seen[3].1)
    }

    func testSHA256KnownVectors() {
        XCTAssertEqual(
            SHA256.hex(of: Array("".utf8)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(
            SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(
            SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(
            SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The CPU's SHA instructions and the Swift compression function give the same digests for
    /// every length around the block and padding boundaries, however the input is split.
    func testSHA256HardwareAndSoftwareAgree() {
        var rng = SplitMix64(seed: 7)
        let data = (0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var soft = SHA256(softwareOnly: true)
        soft.update(Array("abc".utf8))
        XCTAssertEqual(soft.finalizeHex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        for n in Array(0...200) + [447, 448, 511, 512, 513, 1000, 4096, 4999, 5000] {
            let piece = Array(data[0..<n])
            var s = SHA256(softwareOnly: true)
            s.update(piece)
            let expected = s.finalizeHex()
            var h = SHA256()
            let cut = Int(rng.next() % UInt64(n + 1))
            h.update(Array(piece[0..<cut]))
            h.update(Array(piece[cut...]))
            XCTAssertEqual(h.finalizeHex(), expected, "length \(n), split at \(cut)")
        }
    }

    func testAtomicWriterLeavesOldFileOnDiscard() throws {
        let path = NSTemporaryDirectory() + "atomic-\(UUID().uuidString).txt"
        try AtomicFileWriter.write("old", to: path)
        let w = try AtomicFileWriter(path: path)
        try w.write("new half-written")
        w.discard()
        XCTAssertEqual(String(decoding: try FilePaths.readAll(path), as: UTF8.self), "old")
    }
}

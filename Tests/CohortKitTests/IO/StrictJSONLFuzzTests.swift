import Foundation
import XCTest

@testable import CohortKit

/// Mutation fuzzing of the strict JSON Lines reader: valid event lines (escapes, surrogate pairs,
/// multi-byte UTF-8, nested values) with bytes flipped, inserted, deleted and lines cut. Whatever
/// the damage, reading never traps, and every non-blank line comes out exactly once, as a row or
/// as a reject (rows + rejects == lines). A line the strict reader takes as valid must also parse
/// as a JSON object by Foundation's parser (the strict grammar is a subset of what any JSON
/// parser accepts). Seeded; a failure prints the seed and the mutant.
final class StrictJSONLFuzzTests: XCTestCase {
    private static let values = [
        #""login""#, #""caf\u00e9 \ud83d\ude00""#, #""日本語 é 😀""#, #""a\"b\\c\/d\n\t""#, "-12.5e-3", "0", "1234567",
        "true", "false", "null", #"[1,{"x":[]},"y"]"#, #"{"a":{"b":null},"c":[0.5,-0]}"#, #""""#,
    ]
    private static let interesting: [UInt8] = [
        0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x2D, 0x30, 0x31, 0x65, 0x2E, 0x75, 0x20, 0x09, 0x0D, 0x0A,
        0x00,
        0x80, 0xBF, 0xC0, 0xC3, 0xE3, 0xED, 0xEF, 0xBB, 0xF0, 0xF4, 0xFF,
    ]

    func testMutantsNeverTrapAndEveryLineIsARowOrAReject() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("strict-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var source = PipelineConfig.Source(
            kind: .events, path: dir.appendingPathComponent("events.jsonl").path, format: .jsonl, columns: [:],
            dialect: CSVDialect(), dateFormat: .iso, timezone: .utc, currency: nil, optional: true)
        for seed in UInt64(1)...300 {
            var rng = SplitMix64(seed: seed &* 0x9E37_79B9)
            func below(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
            // Valid lines first.
            var lines: [[UInt8]] = []
            for i in 0..<(1 + below(40)) {
                var members = [
                    #""customer_id":"C\#(i)""#, #""timestamp":"2024-01-0\#(1 + i % 9)T10:00:00Z""#,
                    #""event":\#(Self.values[below(3)])"#,
                ]
                for k in 0..<below(4) { members.append(#""x\#(k)":\#(Self.values[below(Self.values.count)])"#) }
                lines.append(Array(("{" + members.joined(separator: below(2) == 0 ? "," : " , ") + "}").utf8))
            }
            // Then damage: a few mutations on a few lines.
            for _ in 0..<(1 + below(8)) {
                let l = below(lines.count)
                var b = lines[l]
                if b.isEmpty { b = [0x7B] }
                let at = below(b.count)
                switch below(5) {
                case 0: b[at] = Self.interesting[below(Self.interesting.count)]
                case 1: b.insert(Self.interesting[below(Self.interesting.count)], at: at)
                case 2: if b.count > 1 { b.remove(at: at) }
                case 3: b[at] = UInt8(truncatingIfNeeded: rng.next())
                default: b = Array(b.prefix(at))
                }
                lines[l] = b
            }
            var file = lines.joined(separator: [0x0A]).map { $0 }
            if below(2) == 0 { file.append(0x0A) }
            let path = dir.appendingPathComponent("events-\(seed).jsonl").path
            try Data(file).write(to: URL(fileURLWithPath: path))
            source.path = path

            // The lines a reader must hand out: split at \n, one \r dropped at the end, the BOM
            // dropped at the start of the file, blank lines left out.
            var expected: [[UInt8]] = []
            var pieces = file.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
            if file.last == 0x0A { pieces.removeLast() }
            for (n, var piece) in pieces.enumerated() {
                if piece.last == 0x0D { piece.removeLast() }
                if n == 0, piece.starts(with: [0xEF, 0xBB, 0xBF]) { piece.removeFirst(3) }
                if !piece.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { expected.append(piece) }
            }

            let r = try JSONLSourceReader(path: path, schema: .init(source: source))
            let columns = ["customer_id", "timestamp", "event", "user_id"].compactMap { r.column(named: $0) }
            var rows = 0
            var rejects = 0
            var index = 0
            while try r.next() {
                defer { index += 1 }
                let context = "seed \(seed), line \(r.line): \(r.raw)"
                guard index < expected.count else {
                    XCTFail("more lines than in the file; \(context)")
                    break
                }
                if let e = r.rowError {
                    rejects += 1
                    XCTAssertFalse(e.isEmpty, context)
                } else {
                    rows += 1
                    for c in columns { r.withField(c) { _ in } }
                    let json = try? JSONSerialization.jsonObject(
                        with: Data(expected[index]), options: [.fragmentsAllowed])
                    XCTAssertTrue(
                        json is [String: Any], "the strict reader accepted what is not a JSON object; \(context)")
                }
            }
            XCTAssertEqual(rows + rejects, expected.count, "seed \(seed): rows + rejects != lines")
            if rows + rejects != expected.count { break }
        }
    }
}

import Foundation
import XCTest

@testable import CohortKit

/// Round trip: any table written by `CSVWriter` (random delimiter, line ending and contents with
/// quotes, delimiters, line breaks and non-ASCII text) reads back identically with `CSVReader`,
/// whatever size the reader's chunks are, but for rows that hold no value (blank lines). Seeded; the seed is printed on failure.
final class CSVPropertyTests: XCTestCase {
    private let alphabet: [String] = [
        "a", "b", "Z", "0", "9", " ", ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", "é", "関東", "😀", "=", "-", "x y",
    ]

    func testRandomTablesRoundTrip() throws {
        for seed in UInt64(1)...60 {
            var rng = SplitMix(state: seed)
            func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
            let delimiter = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")][below(3)]
            let ending: CSVWriter.LineEnding = [.lf, .crlf][below(2)]
            let columns = 1 + below(6)
            let header = (0..<columns).map { "col\($0)" }
            var rows: [[String]] = []
            for _ in 0..<(1 + below(30)) {
                rows.append(
                    (0..<columns).map { _ in (0..<below(6)).map { _ in alphabet[below(alphabet.count)] }.joined() })
            }
            // A single empty field on its own line reads as a blank line: make sure one-column
            // rows are never empty (CSV cannot tell those apart).
            if columns == 1 { rows = rows.map { $0[0].isEmpty ? ["x"] : $0 } }
            let writer = CSVWriter(delimiter: delimiter, lineEnding: ending)
            let bytes = ByteBuffer()
            writer.appendRecord(header, to: bytes)
            for r in rows { writer.appendRecord(r, to: bytes) }
            // A line of only spaces, tabs and delimiters in a file of several columns is a blank
            // line too (a spreadsheet's empty row): rows written so are not read back.
            let expected =
                columns == 1
                ? rows
                : rows.filter { r in
                    let line = ByteBuffer()
                    writer.appendRecord(r, to: line)
                    return !line.bytes.allSatisfy { [0x20, 0x09, 0x0D, 0x0A, delimiter].contains($0) }
                }
            let url = FileManager.default.temporaryDirectory.appendingPathComponent(
                "csv-prop-\(seed)-\(UUID().uuidString).csv")
            try Data(bytes.bytes).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            for chunk in [7, 64, 1 << 16] {
                let reader = try CSVReader(path: url.path, dialect: CSVDialect(delimiter: delimiter), chunkSize: chunk)
                XCTAssertEqual(reader.header, header, "seed \(seed)")
                var record = CSVRecord()
                var read: [[String]] = []
                while reader.next(into: &record) {
                    XCTAssertNil(record.error, "seed \(seed), chunk \(chunk): \(String(describing: record.error))")
                    read.append((0..<record.fieldCount).map { record.string($0) })
                }
                XCTAssertNil(reader.readError, "seed \(seed)")
                XCTAssertEqual(read, expected, "seed \(seed), chunk \(chunk), delimiter \(delimiter)")
            }
        }
    }

    /// A record longer than `maxLineBytes` ends reading with an error naming its line (a
    /// 100-byte quoted field with the limit at 100 still reads).
    func testARecordLongerThanTheLimitStopsReading() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csv-long-\(UUID().uuidString).csv")
        let long = String(repeating: "x", count: 120)
        try Data("a,b\n1,\"\(long.prefix(96))\"\n2,\(long)\n3,z\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        for chunk in [7, 64, 1 << 16] {
            var dialect = CSVDialect()
            dialect.maxLineBytes = 100
            let reader = try CSVReader(path: url.path, dialect: dialect, chunkSize: chunk)
            var record = CSVRecord()
            XCTAssertTrue(reader.next(into: &record))
            XCTAssertEqual(record.string(1).count, 96)
            XCTAssertFalse(reader.next(into: &record), "chunk \(chunk)")
            XCTAssertEqual(reader.readError, .recordTooLong(path: url.path, line: 3, limit: 100), "chunk \(chunk)")
            dialect.maxLineBytes = 122
            let whole = try CSVReader(path: url.path, dialect: dialect, chunkSize: chunk)
            var n = 0
            while whole.next(into: &record) { n += 1 }
            XCTAssertEqual(n, 3)
            XCTAssertNil(whole.readError)
        }
    }
}

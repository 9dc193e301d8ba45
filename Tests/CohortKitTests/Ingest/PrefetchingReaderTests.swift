import Foundation
import XCTest

@testable import CohortKit

/// The prefetching reader hands out exactly what the reader it wraps would: every row's line,
/// error, raw text and fields, across many batches, for CSV and JSON Lines; and it can be
/// dropped half-way without hanging.
final class PrefetchingReaderTests: XCTestCase {
    private func write(_ text: String, ext: String) throws -> String {
        let path = NSTemporaryDirectory() + "prefetch-\(UUID().uuidString).\(ext)"
        try AtomicFileWriter.write(text, to: path)
        addTeardownBlock { unlink(path) }
        return path
    }

    private struct Seen: Equatable {
        var line: Int, raw: String, error: String?, fields: [String?]
    }

    private func readAll(_ r: SourceReader, columns: [Int]) throws -> [Seen] {
        var out: [Seen] = []
        while try r.next() {
            out.append(
                Seen(
                    line: r.line, raw: r.raw, error: r.rowError,
                    fields: columns.map { c in r.withField(c) { $0.map { String(decoding: $0, as: UTF8.self) } } }))
        }
        return out
    }

    /// 40,000 rows (several batches) with quoted fields, doubled quotes, line ends inside quotes,
    /// short and long rows and a stray quote.
    private func csvText() -> String {
        var t = "id,name,note\n"
        for i in 0..<40_000 {
            switch i % 9 {
            case 0: t += "\(i),\"Acme, Inc\",\"said \"\"hi\"\"\"\n"
            case 1: t += "\(i),multi,\"line one\nline two\"\n"
            case 2: t += "\(i),short\n"
            case 3: t += "\(i),5\" display,x\n"
            case 4: t += "\(i),a,b,c\n"
            default: t += "\(i),plain \(i),\(String(repeating: "n", count: i % 50))\n"
            }
        }
        return t
    }

    func testCSVRowsAreTheSameAsReadingDirectly() throws {
        let path = try write(csvText(), ext: "csv")
        let direct = try CSVSourceReader(path: path, dialect: CSVDialect())
        let wrapped = PrefetchingReader(try CSVSourceReader(path: path, dialect: CSVDialect()))
        let columns = [0, 1, 2, 3]
        let a = try readAll(direct, columns: columns)
        let b = try readAll(wrapped, columns: columns)
        XCTAssertEqual(a.count, 40_000)
        XCTAssertGreaterThan(a.filter { $0.error != nil }.count, 0)
        XCTAssertEqual(a, b)
        XCTAssertFalse(try wrapped.next(), "stays at the end")
        XCTAssertEqual(wrapped.digestHex(), direct.digestHex())
    }

    func testJSONLRowsAreTheSameAsReadingDirectly() throws {
        var t = ""
        for i in 0..<30_000 {
            switch i % 5 {
            case 0: t += "{\"customer_id\":\"C\(i)\",\"event\":\"x\\\"y\",\"user_id\":null}\n"
            case 1: t += "not json \(i)\n"
            case 2: t += "\n"
            default: t += "{\"event\":\"login\",\"customer_id\":\"C\(i)\",\"n\":\(i)}\n"
            }
        }
        let path = try write(t, ext: "jsonl")
        func open() throws -> (SourceReader, [Int]) {
            let r = try JSONLSourceReader(path: path)
            return (r, ["customer_id", "event", "user_id", "n", "missing"].map { r.column(named: $0)! })
        }
        let (direct, c1) = try open()
        let (inner, c2) = try open()
        let a = try readAll(direct, columns: c1)
        let b = try readAll(PrefetchingReader(inner), columns: c2)
        XCTAssertEqual(a.count, 24_000)
        XCTAssertEqual(a, b)
    }

    /// The producer refills a batch as soon as it is handed back; the reader must not then take
    /// the refilled batch's end-of-file mark for its own. Three full batches and a few rows: the
    /// producer waits for a batch while the reader is on the first, then finishes the file in it.
    func testEveryRowArrivesWhenABatchIsRefilledAtTheEnd() throws {
        let total = RowBatch.maxRows * 3 + 10
        var t = "id,v\n"
        for i in 0..<total { t += "\(i),x\n" }
        let path = try write(t, ext: "csv")
        for round in 0..<5 {
            let r = PrefetchingReader(try CSVSourceReader(path: path, dialect: CSVDialect()))
            r.afterHandBack = { usleep(20_000) }  // the producer refills the batch just handed back
            var n = 0
            if try r.next() { n += 1 }
            usleep(100_000)  // the producer fills all three batches
            while try r.next() { n += 1 }
            XCTAssertEqual(n, total, "round \(round)")
            if n != total { break }
        }
    }

    func testStoppingEarlyDoesNotHang() throws {
        let path = try write(csvText(), ext: "csv")
        for stopAfter in [0, 1, 20_000] {
            var r: PrefetchingReader? = PrefetchingReader(try CSVSourceReader(path: path, dialect: CSVDialect()))
            for _ in 0..<stopAfter { _ = try r!.next() }
            r = nil  // deinit drains the producer; a hang fails the test by timeout
        }
    }

    /// The look ahead sees the field of the row `next()` hands out next whenever it sees one, and
    /// does so for all but the last row of each batch; a plain reader sees nothing ahead.
    func testTheLookAheadIsTheNextRow() throws {
        let path = try write(csvText(), ext: "csv")
        let r = PrefetchingReader(try CSVSourceReader(path: path, dialect: CSVDialect()))
        var ahead: String?? = nil
        var seen = 0
        var rows = 0
        while try r.next() {
            let here = r.withField(1) { $0.map { String(decoding: $0, as: UTF8.self) } }
            if let ahead { XCTAssertEqual(ahead, here, "line \(r.line)") }
            let next = r.withFieldAhead(1) { $0.map { String(decoding: $0, as: UTF8.self) } }
            // A row missing the column shows nil ahead, as it does when its turn comes.
            ahead = r.withFieldAhead(0) { $0 != nil } ? .some(next) : nil
            if ahead != nil { seen += 1 }
            rows += 1
        }
        XCTAssertEqual(rows, 40_000)
        XCTAssertGreaterThan(seen, 40_000 - 40_000 / RowBatch.maxRows - 2, "ahead is seen within batches")
        let plain = try CSVSourceReader(path: path, dialect: CSVDialect())
        XCTAssertTrue(try plain.next())
        XCTAssertNil(plain.withFieldAhead(0) { $0 })
    }
}

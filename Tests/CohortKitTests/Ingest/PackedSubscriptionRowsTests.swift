import Foundation
import XCTest

@testable import CohortKit

/// Ingest's packed subscription rows write the bytes their `SubscriptionRecord`s would: text as
/// the strings made from the same bytes would hold it (invalid UTF-8 repaired), escaped alike.
final class PackedSubscriptionRowsTests: XCTestCase {
    /// Field texts as raw bytes: plain, empty, escapes, controls, non-ASCII, decomposed, invalid.
    static let texts: [[UInt8]] = [
        Array("C0000001".utf8), [], Array(" ".utf8), Array("say \"hi\"".utf8), Array("back\\slash".utf8),
        Array("tab\there".utf8), [0x01, 0x41], Array("café".utf8), Array("東京".utf8), Array("e\u{301}".utf8),
        Array("🙂 emoji".utf8), [0xFF], [0x41, 0xC3], [0x80, 0x42], [0xE2, 0x82], Array("</script>".utf8),
        Array(String(repeating: "x", count: 300).utf8),
    ]

    func testPackedRowsWriteTheirRecordsBytes() throws {
        var rng = SplitMix64(seed: 20_261_202)
        func pick() -> [UInt8] { Self.texts[Int.random(in: 0..<Self.texts.count, using: &rng)] }
        func maybe() -> [UInt8]? { Bool.random(using: &rng) ? nil : pick() }
        let out = try PackedOutputs(for: self)
        let recordOut = out.records
        // Batches go back to a pool once written and come out again cleared, as in ingest.
        let pool = PackedSubscriptionRows.Pool()
        var packed = pool.take()
        var reused = 0
        for n in 0..<3000 {
            let (cid, product) = (pick(), pick())
            let (sub, plan, cur, quantity) = (maybe(), maybe(), maybe(), maybe())
            let start = Day(raw: Int32.random(in: 15_000...21_000, using: &rng))
            let end = Bool.random(using: &rng) ? nil : Day(raw: start.raw + Int32.random(in: 0...900, using: &rng))
            let mrr = n % 7 == 0 ? Int64.max : Int64.random(in: -5...1_000_000, using: &rng)
            func text(_ b: [UInt8]?) -> PackedSubscriptionRows.Text {
                b.map { bytes in bytes.withUnsafeBufferPointer { packed.text($0) } } ?? .absent
            }
            func string(_ b: [UInt8]?) -> String? { b.map { String(decoding: $0, as: UTF8.self) } }
            packed.append(
                .init(
                    customerId: text(cid), subscriptionId: text(sub), product: text(product), plan: text(plan),
                    sourceCurrency: text(cur), quantity: text(quantity), startDate: start, endDate: end,
                    mrrMinor: mrr))
            try recordOut.write(
                SubscriptionRecord(
                    customerId: string(cid)!, subscriptionId: string(sub), product: string(product)!,
                    plan: string(plan), startDate: start, endDate: end, mrrMinor: mrr, sourceCurrency: string(cur),
                    quantity: string(quantity)))
            if packed.isFull || n % 1000 == 999 {
                try out.cycle(&packed, through: pool, reused: &reused)
                XCTAssertEqual(packed.count, 0)
            }
        }
        try out.write(packed)
        XCTAssertEqual(reused, 3, "each written batch is taken again, cleared")
        try out.assertSame(rows: 3000)
    }

    /// The bytes handed on are those of the string made from them, and of its composed form.
    func testStringAndComposedBytesAreTheStrings() {
        var rng = SplitMix64(seed: 7)
        var samples = Self.texts
        for _ in 0..<2000 {
            // Random short byte strings, mostly ASCII, some high bytes (often invalid UTF-8).
            samples.append(
                (0..<Int.random(in: 0...6, using: &rng)).map { _ in
                    Bool.random(using: &rng)
                        ? UInt8.random(in: 0x20...0x7E, using: &rng) : UInt8.random(in: 0...255, using: &rng)
                })
        }
        for s in samples {
            s.withUnsafeBufferPointer { b in
                let string = String(decoding: b, as: UTF8.self)
                TextDecoding.withRepairedUTF8(b) { XCTAssertEqual(Array($0), Array(string.utf8), "\(s)") }
                KeyText.withComposedBytes(b) {
                    XCTAssertEqual(Array($0), Array(KeyText.composed(string).utf8), "\(s)")
                }
            }
        }
        // A decomposed accent is handed on composed; a plain id is handed on as it is.
        Array("e\u{301}".utf8).withUnsafeBufferPointer { b in
            KeyText.withComposedBytes(b) { XCTAssertEqual(Array($0), Array("é".utf8)) }
        }
    }
}

/// A packed-rows test's two files: the lines its batches write and the lines their records
/// write, in a folder removed at the end of the test.
struct PackedOutputs {
    let packed: JSONLWriter
    let records: JSONLWriter

    init(for test: XCTestCase) throws {
        let folder = try E2EFixture.emptyFolder("packed", for: test)
        packed = try JSONLWriter(path: folder.appendingPathComponent("packed.jsonl").path)
        records = try JSONLWriter(path: folder.appendingPathComponent("records.jsonl").path)
    }

    /// Finishes both files and checks the batches wrote `rows` lines, the records' bytes.
    func assertSame(rows: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try packed.finish()
        try records.finish()
        XCTAssertEqual(packed.rows, rows, file: file, line: line)
        XCTAssertEqual(
            packed.sha256, records.sha256, "packed rows are not written as their records", file: file, line: line)
        XCTAssertEqual(packed.bytes, records.bytes, file: file, line: line)
    }

    /// Writes every row of `batch` to the packed file, as the writer's thread does.
    func write<B: PackedBatch>(_ batch: B) throws {
        for i in 0..<batch.count { try batch.write(i, to: packed) }
    }

    /// Writes `batch`, hands it back to `pool` and takes the next one, as ingest does; counts in
    /// `reused` the times the batch taken is the one just handed back.
    func cycle<B: PackedBatch>(_ batch: inout B, through pool: PackedBatchPool<B>, reused: inout Int) throws {
        try write(batch)
        pool.give(batch)
        let previous = batch
        batch = pool.take()
        if batch === previous { reused += 1 }
    }
}

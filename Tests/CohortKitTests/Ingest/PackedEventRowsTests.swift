import Foundation
import XCTest

@testable import CohortKit

/// Ingest's packed event rows write the bytes their `EventRecord`s would: text as the strings
/// made from the same bytes would hold it (invalid UTF-8 repaired), escaped alike.
final class PackedEventRowsTests: XCTestCase {
    func testPackedRowsWriteTheirRecordsBytes() throws {
        var rng = SplitMix64(seed: 20_261_203)
        let texts = PackedSubscriptionRowsTests.texts
        func pick() -> [UInt8] { texts[Int.random(in: 0..<texts.count, using: &rng)] }
        let out = try PackedOutputs(for: self)
        let recordOut = out.records
        // Batches go back to a pool once written and come out again cleared, as in ingest.
        let pool = PackedEventRows.Pool()
        var packed = pool.take()
        var reused = 0
        for n in 0..<3000 {
            let (cid, event) = (pick(), pick())
            // A user id absent, empty (written as absent) or text.
            let user: [UInt8]? = n % 3 == 0 ? nil : n % 3 == 1 ? [] : pick()
            let date = Day(raw: Int32.random(in: 15_000...21_000, using: &rng))
            let batch = packed
            func text(_ b: [UInt8]) -> PackedEventRows.Text { b.withUnsafeBufferPointer { batch.text($0) } }
            let userText = user.map { b in b.withUnsafeBufferPointer { batch.text(nonEmpty: $0) } ?? .absent }
            packed.append(.init(customerId: text(cid), date: date, event: text(event), userId: userText ?? .absent))
            let userString = user.flatMap { $0.isEmpty ? nil : String(decoding: $0, as: UTF8.self) }
            try recordOut.write(
                EventRecord(
                    customerId: String(decoding: cid, as: UTF8.self), date: date,
                    event: String(decoding: event, as: UTF8.self), userId: userString))
            if packed.isFull || n % 1000 == 999 {
                try out.cycle(&packed, through: pool, reused: &reused)
                XCTAssertEqual(packed.count, 0)
            }
        }
        try out.write(packed)
        XCTAssertEqual(reused, 3, "each written batch is taken again, cleared")
        try out.assertSame(rows: 3000)
    }
}

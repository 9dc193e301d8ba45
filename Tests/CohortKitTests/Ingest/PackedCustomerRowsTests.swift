import Foundation
import XCTest

@testable import CohortKit

/// Ingest's packed customer rows write the bytes their `IngestCustomerRecord`s would: ids,
/// channels, attribute names and values as the strings made from the same bytes would hold them
/// (invalid UTF-8 repaired), escaped alike; from CSV columns or from a JSON line's packed keys.
final class PackedCustomerRowsTests: XCTestCase {
    func testPackedRowsWriteTheirRecordsBytes() throws {
        let texts = PackedSubscriptionRowsTests.texts
        var rng = SplitMix64(seed: 20_261_203)
        func pick() -> [UInt8] { texts[Int.random(in: 0..<texts.count, using: &rng)] }
        func string(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        let out = try PackedOutputs(for: self)
        let recordOut = out.records
        let pool = PackedCustomerRows.Pool()
        var packed = pool.take()
        var reused = 0
        for n in 0..<3000 {
            let id = pick()
            let signup = Bool.random(using: &rng) ? nil : Day(raw: Int32.random(in: 15_000...21_000, using: &rng))
            let channel = Bool.random(using: &rng) ? nil : pick()
            var attributes: [([UInt8], [UInt8])] = []
            for _ in 0..<Int.random(in: 0...(n % 50 == 0 ? 40 : 4), using: &rng) { attributes.append((pick(), pick())) }
            // Now and then a value larger than a batch's arena, which then grows.
            if n % 700 == 350 {
                attributes.append((pick(), Array(repeating: 0x61, count: PackedCustomerRows.arenaLimit + 1)))
            }
            // Half the rows as CSV columns give them (names and values copied one by one), half
            // as a JSON line's reader packs its extra keys.
            let first = packed.nextAttribute
            if n % 2 == 0 {
                for (k, v) in attributes {
                    let name = k.withUnsafeBufferPointer { packed.text($0) }
                    let value = v.withUnsafeBufferPointer { packed.text($0) }
                    packed.attribute(name: name, value: value)
                }
            } else {
                var column: [UInt8] = []
                for (k, v) in attributes {
                    for part in [k, v] {
                        let count = UInt32(part.count)
                        for s in stride(from: 0, to: 32, by: 8) {
                            column.append(UInt8(truncatingIfNeeded: count >> UInt32(s)))
                        }
                        column += part
                    }
                }
                column.withUnsafeBufferPointer {
                    JSONLSourceReader.forEachAttribute($0) { k, v in
                        packed.attribute(name: packed.text(k), value: packed.text(v))
                    }
                }
            }
            packed.append(
                .init(
                    customerId: id.withUnsafeBufferPointer { packed.text($0) }, signupDate: signup,
                    acquisitionChannel: channel.map { c in c.withUnsafeBufferPointer { packed.text($0) } } ?? .absent,
                    firstAttribute: first, attributeCount: packed.nextAttribute - first, line: n + 2))
            recordOut.begin()
            IngestCustomerRecord(
                customerId: string(id), signupDate: signup, acquisitionChannel: channel.map(string),
                attributes: attributes.map { (string($0.0), string($0.1)) }, line: n + 2
            ).write(to: recordOut.line)
            try recordOut.end()
            if packed.isFull || n % 1000 == 999 {
                try out.cycle(&packed, through: pool, reused: &reused)
                XCTAssertEqual(packed.count, 0)
                XCTAssertEqual(packed.nextAttribute, 0)
            }
        }
        try out.write(packed)
        XCTAssertEqual(
            reused, 7,
            "each written batch is taken again, cleared (every 1000 rows and after each of the four rows that fill a batch)"
        )
        try out.assertSame(rows: 3000)
    }
}

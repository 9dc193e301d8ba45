import XCTest

@testable import CohortKit

/// The growable byte buffer the writers share (JSON lines, CSV, files, the generator): appends of every kind
/// keep their bytes in order through growth, and clearing keeps the memory.
final class ByteBufferTests: XCTestCase {
    func testAppendsKeepTheirOrderThroughGrowth() {
        var rng = SplitMix64(seed: 7)
        let buffer = ByteBuffer(capacity: 1)
        XCTAssertEqual(buffer.capacity, 16, "a floor on the capacity")
        var expected: [UInt8] = []
        for step in 0..<2_000 {
            let n = Int(rng.next() % 40)
            let piece = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            switch step % 4 {
            case 0: for b in piece { buffer.append(b) }
            case 1: piece.withUnsafeBufferPointer { buffer.append($0) }
            case 2: buffer.append(contentsOf: piece)
            default: buffer.append(contentsOf: piece.lazy.map { $0 })  // not contiguous: byte by byte
            }
            expected += piece
        }
        XCTAssertEqual(Array(buffer.written), expected)
        XCTAssertGreaterThanOrEqual(buffer.capacity, expected.count)
    }

    func testReserveThenStoreThroughBase() {
        let buffer = ByteBuffer(capacity: 16)
        buffer.append(contentsOf: Array("ab".utf8))
        buffer.reserve(100)
        XCTAssertGreaterThanOrEqual(buffer.capacity, 102)
        for i in 0..<100 { buffer.base[buffer.count + i] = UInt8(ascii: "x") }
        buffer.count += 100
        XCTAssertEqual(String(decoding: buffer.written, as: UTF8.self), "ab" + String(repeating: "x", count: 100))
    }

    func testRemoveAllKeepsTheMemory() {
        let buffer = ByteBuffer(capacity: 16)
        buffer.append(contentsOf: [UInt8](repeating: 1, count: 1_000))
        let capacity = buffer.capacity
        buffer.removeAll()
        XCTAssertEqual(buffer.count, 0)
        XCTAssertEqual(buffer.capacity, capacity)
        buffer.append(9)
        XCTAssertEqual(Array(buffer.written), [9])
        let empty: [UInt8] = []
        empty.withUnsafeBufferPointer { buffer.append($0) }
        XCTAssertEqual(buffer.count, 1)
    }

    /// The line builder on top of it: a line longer than its starting capacity comes out whole.
    func testLineBuilderGrowsThroughTheBuffer() {
        let line = JSONLineBuilder(capacity: 16)
        line.beginObject()
        line.key("k")
        let long = String(repeating: "é", count: 500)
        line.string(long)
        line.endObject()
        XCTAssertEqual(String(decoding: line.written, as: UTF8.self), "{\"k\":\"\(long)\"}")
    }
}

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

    /// Doubles are written as `description` spells them, byte for byte: edge values, and a
    /// million random bit patterns (every exponent, subnormals, signs), each appended after other
    /// byte so the buffer's growth is crossed.
    func testDescriptionOfADoubleIsWrittenAsItsStringIs() {
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 1.0 / 3, 0.08431289346818371, 1e-7, 1e15, 1e16, 123456789.125, 5e-324,
            2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308, .infinity, -.infinity, .nan,
        ]
        var rng = SplitMix64(seed: 11)
        for _ in 0..<1_000_000 { values.append(Double(bitPattern: rng.next())) }
        let buffer = ByteBuffer(capacity: 4)
        for v in values {
            buffer.removeAll()
            buffer.append(UInt8(ascii: "x"))
            buffer.appendDescription(of: v)
            let written = String(decoding: buffer.written.dropFirst(), as: UTF8.self)
            if written != v.description {
                XCTFail("\(v.bitPattern): \(written) != \(v.description)")
                return
            }
        }
    }
}

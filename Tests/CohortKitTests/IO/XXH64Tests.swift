import Foundation
import XCTest

@testable import CohortKit

/// XXH64 against the reference implementation's values, whole and in pieces.
///
/// The expected values were computed outside the suite with the reference library:
/// `python3 -m venv v && v/bin/pip install xxhash && v/bin/python -c "import xxhash;
/// print(xxhash.xxh64(b'abc', seed=0).hexdigest())"` (and likewise for each input below).
final class XXH64Tests: XCTestCase {
    /// 771 bytes: 0...255 three times, then "xyz" (24 stripes of 32 bytes and a tail of 3).
    private let long = Array((0..<3).flatMap { _ in 0...255 }.map { UInt8($0) }) + Array("xyz".utf8)

    func testKnownValues() {
        XCTAssertEqual(XXH64.hex(of: [UInt8]()), "ef46db3751d8e999")
        XCTAssertEqual(XXH64.hex(of: Array("a".utf8)), "d24ec4f1a98c6e5b")
        XCTAssertEqual(XXH64.hex(of: Array("abc".utf8)), "44bc2cf5ad770999")
        XCTAssertEqual(XXH64.hex(of: Array("0123456789abcdef0123456789abcdef".utf8)), "642a94958e71e6c5")
        XCTAssertEqual(XXH64.hex(of: long), "e921a1b45bd779f8")
    }

    /// Every way of cutting the input in two, and in pieces of every size up to 40, gives the
    /// whole input's hash (the pending stripe carries across updates).
    func testPiecesGiveTheWholeHash() {
        let whole = XXH64.hex(of: long)
        long.withUnsafeBufferPointer { b in
            for cut in 0...b.count {
                var x = XXH64()
                x.update(UnsafeBufferPointer(rebasing: b[0..<cut]))
                x.update(UnsafeBufferPointer(rebasing: b[cut...]))
                XCTAssertEqual(x.finalizeHex(), whole, "cut at \(cut)")
            }
            for size in 1...40 {
                var x = XXH64()
                for start in stride(from: 0, to: b.count, by: size) {
                    x.update(UnsafeBufferPointer(rebasing: b[start..<min(start + size, b.count)]))
                }
                XCTAssertEqual(x.finalizeHex(), whole, "pieces of \(size)")
            }
        }
    }

    /// A file several read chunks long hashes as its bytes do, and one changed byte changes it.
    func testAFileHashesAsItsBytes() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xxh64-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rng = SplitMix64(seed: 64)
        var bytes = (0..<2_500_003).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let hex = try XXH64.hex(ofFile: path)
        XCTAssertEqual(hex, XXH64.hex(of: bytes))
        bytes[1_234_567] ^= 1
        XCTAssertNotEqual(XXH64.hex(of: bytes), hex)
    }
}

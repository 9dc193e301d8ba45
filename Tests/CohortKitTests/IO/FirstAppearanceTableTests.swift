import XCTest

@testable import CohortKit

final class FirstAppearanceTableTests: XCTestCase {
    /// Items get numbers in order of first appearance, as a dictionary gives them, whatever their
    /// hashes: every item hashing alike (each lookup asks `same` about earlier items until one
    /// matches), a few hash values shared by many items, and distinct hashes; from a table sized
    /// for 4 items past thousands (it grows) and from one sized for all.
    func testNumbersFollowFirstAppearanceWhateverTheHashes() {
        var rng = SplitMix64(seed: 17)
        let items = (0..<3_000).map { _ in Int(rng.next() % 700) }
        var numbered: [Int: Int32] = [:]
        let expected = items.map { item -> Int32 in
            if let k = numbered[item] { return k }
            numbered[item] = Int32(numbered.count)
            return Int32(numbered.count - 1)
        }
        let hashings: [(String, (Int) -> Int)] = [
            ("one hash for all", { _ in 42 }), ("seven hashes", { $0 % 7 }), ("distinct", { $0.hashValue }),
        ]
        for (name, hash) in hashings {
            for capacity in [4, items.count] {
                var table = FirstAppearanceTable(capacity: capacity)
                var firstItem: [Int] = []
                var got: [Int32] = []
                for item in items {
                    let (k, isNew) = table.number(hash: hash(item)) { firstItem[$0] == item }
                    if isNew {
                        XCTAssertEqual(Int(k), firstItem.count, name)
                        firstItem.append(item)
                    }
                    got.append(k)
                }
                XCTAssertEqual(got, expected, "\(name), capacity \(capacity)")
                XCTAssertEqual(table.count, numbered.count)
            }
        }
    }
}

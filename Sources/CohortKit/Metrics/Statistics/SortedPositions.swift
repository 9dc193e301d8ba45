/// Orders positions of rows on an integer key, with a slower comparison only among rows whose keys
/// tie. A million rows sort on their keys alone (one integer comparison each); the comparison that
/// breaks ties (customer ids, say) runs only inside each run of equal keys.
public enum SortedPositions {
    /// The positions `0..<keys.count` by `keys` ascending, rows of equal keys by `precedes`, and
    /// rows `precedes` leaves equal by position: a total order, so the result does not depend on
    /// how the sort proceeds.
    public static func by(_ keys: [UInt64], tiesBy precedes: (Int, Int) -> Bool) -> [Int] {
        var order = keys.indices.map { (key: keys[$0], position: $0) }
        order.sort { $0.key != $1.key ? $0.key < $1.key : $0.position < $1.position }
        var positions = order.map(\.position)
        var start = 0
        while start < positions.count {
            var end = start + 1
            while end < positions.count, order[end].key == order[start].key { end += 1 }
            if end - start > 1 { positions[start..<end].sort { tie($0, $1, precedes) } }
            start = end
        }
        return positions
    }

    /// `precedes`, then the position.
    @inline(__always)
    private static func tie(_ a: Int, _ b: Int, _ precedes: (Int, Int) -> Bool) -> Bool {
        if precedes(a, b) { return true }
        if precedes(b, a) { return false }
        return a < b
    }

    /// A key that sorts doubles descending (larger first), `-0.0` with `0.0`, NaN last.
    public static func descending(_ x: Double) -> UInt64 {
        if x.isNaN { return UInt64.max }
        let bits = (x == 0 ? 0.0 : x).bitPattern
        // Doubles in ascending order as unsigned integers: negatives flipped whole, positives
        // with the sign bit set; then complemented for descending.
        let ascending = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        return ~ascending
    }
}

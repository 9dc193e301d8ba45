extension RandomAccessCollection where Index == Int {
    /// The first index whose element satisfies `isAfter`, by binary search; the elements that do
    /// not satisfy it must all come first (`count` when none does).
    func partitioningIndex(where isAfter: (Element) -> Bool) -> Int {
        var lo = startIndex
        var hi = endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if isAfter(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

import Foundation

/// Harrell's concordance index for right-censored durations, with lifelines' tie conventions.
///
/// A pair (i, j) is admissible when j has an event and i leaves later: `T_j < T_i`, or
/// `T_j == T_i` with i censored (deaths at a time count as leaving before censorings at the same
/// time; two events at the same time are not comparable). It is concordant when the earlier one
/// has the higher risk score, and a tie in score counts one half:
///
///     C = (concordant + tied / 2) / admissible
///
/// This equals lifelines' `concordance_index(durations, -riskScores, events)`, where lifelines
/// expects predicted times (higher means later) and a Cox model's risk is its partial hazard.
/// Example: durations [1, 2, 3], all events, risk scores [3, 2, 1]: 3 admissible pairs, all
/// concordant, C = 1; risk scores all equal give C = 0.5.
///
/// - Complexity: O(n log n): one sort by duration, one by score, and a Fenwick tree of the
///   scores of earlier events.
public enum Concordance {
    /// The counts behind the index.
    public struct Counts: Equatable, Sendable {
        /// Admissible pairs whose earlier member has the strictly higher risk score.
        public var concordant: Int
        /// Admissible pairs with equal risk scores.
        public var tied: Int
        /// All admissible pairs.
        public var admissible: Int

        /// `(concordant + tied / 2) / admissible`; NaN when no pair is admissible.
        public var index: Double {
            admissible == 0 ? .nan : (Double(concordant) + Double(tied) / 2) / Double(admissible)
        }
    }

    /// Harrell's C of `riskScores` (higher = expected to leave sooner); NaN when no pair is
    /// admissible (for example when there are no events) or the arrays differ in length.
    public static func harrell(durations: [Int32], events: [Bool], riskScores: [Double]) -> Double {
        counts(durations: durations, events: events, riskScores: riskScores).index
    }

    /// The concordant, tied and admissible pair counts; all zero when the arrays differ in length.
    public static func counts(durations: [Int32], events: [Bool], riskScores: [Double]) -> Counts {
        counts(durations: durations, events: events, weights: nil, riskScores: riskScores)
    }

    /// The counts over rows that each stand for `weights[i]` identical subjects (same duration,
    /// event flag and risk score): every pair of subjects counts once, as if the rows were
    /// repeated; all zero when the arrays differ in length.
    public static func counts(durations: [Int32], events: [Bool], weights: [Int]?, riskScores: [Double]) -> Counts {
        let n = durations.count
        guard events.count == n, riskScores.count == n, weights.map({ $0.count == n }) ?? true,
            (weights.map { $0.reduce(0, +) } ?? n) > 1
        else {
            return Counts(concordant: 0, tied: 0, admissible: 0)
        }
        let weight: (Int) -> Int = weights.map { w in { w[$0] } } ?? { _ in 1 }
        // Dense ranks of the scores, 1-based for the Fenwick tree; equal scores share a rank.
        let byScore = (0..<n).sorted { riskScores[$0] < riskScores[$1] }
        var rank = [Int](repeating: 0, count: n)
        var distinct = 0
        for (k, i) in byScore.enumerated() {
            if k == 0 || riskScores[i] != riskScores[byScore[k - 1]] { distinct += 1 }
            rank[i] = distinct
        }
        // By duration, events before censorings at the same duration.
        let order = (0..<n).sorted {
            durations[$0] != durations[$1] ? durations[$0] < durations[$1] : (events[$0] && !events[$1])
        }

        var tree = [Int](repeating: 0, count: distinct + 1)
        func prefix(_ r: Int) -> Int {
            var r = r
            var total = 0
            while r > 0 {
                total += tree[r]
                r &= r - 1
            }
            return total
        }
        func insert(_ r: Int, _ w: Int) {
            var r = r
            while r <= distinct {
                tree[r] += w
                r += r & -r
            }
        }

        var counts = Counts(concordant: 0, tied: 0, admissible: 0)
        var inserted = 0
        func compare(_ i: Int) {
            let atOrBelow = prefix(rank[i])
            let w = weight(i)
            counts.admissible += w * inserted
            counts.concordant += w * (inserted - atOrBelow)
            counts.tied += w * (atOrBelow - prefix(rank[i] - 1))
        }
        var start = 0
        while start < n {
            let t = durations[order[start]]
            var end = start
            while end < n && durations[order[end]] == t { end += 1 }
            var firstCensored = start
            while firstCensored < end && events[order[firstCensored]] { firstCensored += 1 }
            // Events at t compare with events strictly before t only ...
            for k in start..<firstCensored { compare(order[k]) }
            for k in start..<firstCensored {
                let w = weight(order[k])
                insert(rank[order[k]], w)
                inserted += w
            }
            // ... censorings at t also with events at t.
            for k in firstCensored..<end { compare(order[k]) }
            start = end
        }
        return counts
    }
}

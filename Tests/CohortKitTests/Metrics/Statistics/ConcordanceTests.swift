import XCTest

@testable import CohortKit

/// Harrell's C with lifelines' tie conventions, pairs counted by hand: a pair (j, i) is admissible
/// when j churned and i left later (or at the same time, censored); concordant when j has the
/// higher risk score; a tie in score counts one half.
final class ConcordanceTests: XCTestCase {
    /// Hand count: durations [1, 2, 2, 3], events [T, T, F, T], scores [4, 1, 2, 3].
    /// Admissible (earlier event j, later i): j=0 with i=1,2,3 (3 pairs); j=1 (t=2 event) with i=2
    /// (censored at 2) and i=3: 2 pairs; j=3 none. Concordant when score_j > score_i: (0,1) 4>1,
    /// (0,2) 4>2, (0,3) 4>3, (1,2) 1>2 no, (1,3) 1>3 no. C = 3/5.
    func testConcordanceByHand() {
        let counts = Concordance.counts(
            durations: [1, 2, 2, 3], events: [true, true, false, true], riskScores: [4, 1, 2, 3])
        XCTAssertEqual(counts, Concordance.Counts(concordant: 3, tied: 0, admissible: 5))
        XCTAssertEqual(
            Concordance.harrell(
                durations: [1, 2, 2, 3], events: [true, true, false, true], riskScores: [4, 1, 2, 3]),
            0.6, accuracy: 1e-15)
        XCTAssertEqual(
            Concordance.harrell(durations: [1, 2, 3], events: [true, true, true], riskScores: [1, 1, 1]), 0.5)
        XCTAssertTrue(Concordance.harrell(durations: [1, 2], events: [false, false], riskScores: [1, 2]).isNaN)
    }

    /// Ties in score: durations 1, 2, 3, 4, all churned, scores 2, 2, 1, 1. All 6 pairs are
    /// admissible: (0,1) tied, (0,2) 2>1, (0,3) 2>1, (1,2) 2>1, (1,3) 2>1, (2,3) tied.
    /// C = (4 + 2/2) / 6 = 5/6.
    func testTiedScoresCountOneHalf() {
        let counts = Concordance.counts(
            durations: [1, 2, 3, 4], events: [true, true, true, true], riskScores: [2, 2, 1, 1])
        XCTAssertEqual(counts, Concordance.Counts(concordant: 4, tied: 2, admissible: 6))
        XCTAssertEqual(counts.index, 5.0 / 6, accuracy: 1e-15)
    }

    /// Ties in duration: rows 0 and 1 churn on day 2 (scores 3, 1), row 2 is censored on day 2
    /// (score 2), row 3 censored on day 5 (score 0), row 4 censored on day 1 (score 9).
    ///   j=0: i=1 churned at the same time, not comparable; i=2 censored at 2, admissible, 3>2;
    ///        i=3 admissible, 3>0; i=4 left before, not admissible.
    ///   j=1: i=2 admissible, 1<2 discordant; i=3 admissible, 1>0.
    ///   Censored rows are never the earlier member. Admissible 4, concordant 3: C = 3/4.
    func testEventsAtTheSameTimeAreNotComparedCensoringsAre() {
        let counts = Concordance.counts(
            durations: [2, 2, 2, 5, 1], events: [true, true, false, false, false], riskScores: [3, 1, 2, 0, 9])
        XCTAssertEqual(counts, Concordance.Counts(concordant: 3, tied: 0, admissible: 4))
        XCTAssertEqual(counts.index, 0.75)
    }

    /// Weighted rows: row 0 stands for 2 subjects churning on day 1 (score 5), row 1 for one
    /// churning on day 3 (score 5), row 2 for 3 censored on day 3 (score 4).
    ///   row 0 × row 1: 2 × 1 = 2 pairs, scores tied; row 0 × row 2: 2 × 3 = 6 concordant;
    ///   row 1 × row 2 (censored at the same time): 1 × 3 = 3 concordant; the two subjects of
    ///   row 0 churn together and are not compared.
    /// Admissible 11, concordant 9, tied 2: C = (9 + 1) / 11 = 10/11.
    func testWeightedRowsCountEverySubjectPair() {
        let counts = Concordance.counts(
            durations: [1, 3, 3], events: [true, true, false], weights: [2, 1, 3], riskScores: [5, 5, 4])
        XCTAssertEqual(counts, Concordance.Counts(concordant: 9, tied: 2, admissible: 11))
        XCTAssertEqual(counts.index, 10.0 / 11, accuracy: 1e-15)
    }

    /// Arrays of different lengths, or a single subject, give no pairs (and a NaN index).
    func testNoPairsForMismatchedArraysOrOneSubject() {
        let zero = Concordance.Counts(concordant: 0, tied: 0, admissible: 0)
        XCTAssertEqual(Concordance.counts(durations: [1, 2], events: [true], riskScores: [1, 2]), zero)
        XCTAssertEqual(Concordance.counts(durations: [1, 2], events: [true, true], riskScores: [1]), zero)
        XCTAssertEqual(
            Concordance.counts(durations: [1, 2], events: [true, true], weights: [1], riskScores: [2, 1]), zero)
        XCTAssertEqual(
            Concordance.counts(durations: [1], events: [true], weights: [1], riskScores: [1]), zero)
        XCTAssertTrue(Concordance.harrell(durations: [1, 2], events: [true], riskScores: [1, 2]).isNaN)
    }

    /// Weighted concordance counts equal the counts over the rows repeated.
    func testWeightedConcordanceEqualsRepeatedRows() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<20 {
            let m = 1 + rng.below(30)
            var d: [Int32] = []
            var e: [Bool] = []
            var w: [Int] = []
            var s: [Double] = []
            for _ in 0..<m {
                d.append(Int32(1 + rng.below(6)))
                e.append(rng.chance(0.6))
                w.append(1 + rng.below(4))
                s.append(Double(rng.below(4)))
            }
            var rd: [Int32] = []
            var re: [Bool] = []
            var rs: [Double] = []
            for i in 0..<m {
                for _ in 0..<w[i] {
                    rd.append(d[i])
                    re.append(e[i])
                    rs.append(s[i])
                }
            }
            XCTAssertEqual(
                Concordance.counts(durations: d, events: e, weights: w, riskScores: s),
                Concordance.counts(durations: rd, events: re, riskScores: rs))
        }
    }
}

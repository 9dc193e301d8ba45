import XCTest

@testable import CohortKit

/// Kaplan–Meier rows per channel and the log-rank across channels, on customers written out by
/// hand (docs/metrics.md#survival, #log-rank-test). Durations in days, `x` a churn, `o` censored.
final class ChannelSurvivalTests: XCTestCase {
    /// web (0): 10x 40x 70o; ads (1): 20x 90o; mail (2): 50o. max_channels 2 keeps web (3
    /// customers) and ads (2) and pools mail, which also counts under (other).
    ///
    ///     (all)  t=10 n=6 d=1 S=5/6; t=20 n=5 d=1 S=2/3; t=40 n=4 d=1 S=1/2 (median 40)
    ///     web    t=10 n=3 d=1 S=2/3; t=40 n=2 d=1 S=1/3 (median 40)
    ///     ads    t=20 n=2 d=1 S=1/2 (median 20)
    ///     mail   no churn: S=1, no median
    ///
    /// Marks t_1 = 30, t_2 = 61: at risk = durations >= t, events = churns <= t.
    ///
    ///     (all)  30: 4 at risk (40 50 70 90), 2 events, S 2/3;  61: 2 (70 90), 3, 1/2
    ///     web    30: 2 (40 70), 1, 2/3;                         61: 1 (70), 2, 1/3
    ///     ads    30: 1 (90), 1, 1/2;                            61: 1, 1, 1/2
    ///     mail   30: 1 (50), 0, 1 (interval (1, 1));            61: 0, 0, 1
    ///
    /// Intervals (exponential Greenwood, 95%): V = Σ d / (n (n − d)) / (ln S)², bounds
    /// exp(−exp(ln(−ln S) ± z √V)). (all) at 30: Σ = 1/30 + 1/20 = 1/12, S = 2/3: 0.194617 … 0.904434;
    /// at 61: Σ = 1/12 + 1/12 = 1/6, S = 1/2: 0.110948 … 0.803709. web at 30: Σ = 1/6: 0.054073 …
    /// 0.945206; at 61: Σ = 1/6 + 1/2, S = 1/3: 0.008962 … 0.774149. ads: Σ = 1/2, S = 1/2: 0.005983
    /// … 0.910410. (Evaluated in a few lines of Python from these formulas.)
    ///
    /// Restricted mean of (all) up to 90 days: 10·1 + 10·5/6 + 20·2/3 + 50·1/2 = 170/3 days.
    func testHandWorkedRowsPerChannelAndOther() throws {
        let survival = ChannelSurvival(
            durations: [10, 40, 70, 20, 90, 50], events: [true, true, false, true, false, false],
            channels: [0, 0, 0, 1, 1, 2], channelNames: ["web", "ads", "mail"],
            ranking: ChannelRanking(customers: [3, 2, 1], names: ["web", "ads", "mail"], limit: 2))
        var rows: [SurvivalRecord] = []
        let mean = survival.curves(order: [1, 0, 2], maxOffset: 2, confidence: 0.95) { rows.append($0) }
        XCTAssertEqual(try XCTUnwrap(mean), 170.0 / 3, accuracy: 1e-12)

        func mark(_ c: String, _ k: Int, _ n: Int, _ d: Int, _ s: Double, _ lo: Double, _ hi: Double) -> SurvivalRecord
        {
            .mark(
                .init(
                    channel: c, monthMark: k, day: k == 1 ? 30 : 61, atRisk: n, events: d, survival: s, ciLower: lo,
                    ciUpper: hi))
        }
        func median(_ c: String, _ m: Int?, _ n: Int, _ d: Int) -> SurvivalRecord {
            .median(.init(channel: c, medianDays: m, customers: n, churned: d))
        }
        let expected: [SurvivalRecord] = [
            mark("(all)", 1, 4, 2, 2.0 / 3, 0.194617, 0.904434),
            mark("(all)", 2, 2, 3, 0.5, 0.110948, 0.803709),
            median("(all)", 40, 6, 3),
            mark("ads", 1, 1, 1, 0.5, 0.005983, 0.910410),
            mark("ads", 2, 1, 1, 0.5, 0.005983, 0.910410),
            median("ads", 20, 2, 1),
            mark("web", 1, 2, 1, 2.0 / 3, 0.054073, 0.945206),
            mark("web", 2, 1, 2, 1.0 / 3, 0.008962, 0.774149),
            median("web", 40, 3, 2),
            mark("mail", 1, 1, 0, 1, 1, 1),
            mark("mail", 2, 0, 0, 1, 1, 1),
            median("mail", nil, 1, 0),
            mark("(other)", 1, 1, 0, 1, 1, 1),
            mark("(other)", 2, 0, 0, 1, 1, 1),
            median("(other)", nil, 1, 0),
        ]
        XCTAssertEqual(rows.count, expected.count)
        for (got, want) in zip(rows, expected) {
            switch (got, want) {
            case (.median(let g), .median(let w)):
                XCTAssertEqual(g, w)
            case (.mark(let g), .mark(let w)):
                XCTAssertEqual(g.channel, w.channel)
                XCTAssertEqual(
                    [g.monthMark, g.day, g.atRisk, g.events], [w.monthMark, w.day, w.atRisk, w.events], w.channel)
                XCTAssertEqual(g.survival ?? -1, w.survival ?? 0, accuracy: 1e-12, "\(w.channel) \(w.monthMark)")
                XCTAssertEqual(g.ciLower ?? -1, w.ciLower ?? 0, accuracy: 1e-6, "\(w.channel) \(w.monthMark)")
                XCTAssertEqual(g.ciUpper ?? -1, w.ciUpper ?? 0, accuracy: 1e-6, "\(w.channel) \(w.monthMark)")
            default:
                XCTFail("\(got) where \(want) was expected")
            }
        }
    }

    /// The documented example in one channel: durations 10x, 20x, 20o, 40o. The customer censored
    /// on day 20 is still at risk on day 20: S = 3/4 × 2/3 = 1/2, median 20 (an exact half counts).
    /// At t_1 = 30: 1 at risk (the 40), 2 events, S 0.5, 95% interval (0.058, 0.845) as in
    /// docs/metrics.md; (all) has the same rows.
    func testDocumentedExampleInOneChannel() throws {
        let survival = ChannelSurvival(
            durations: [10, 20, 20, 40], events: [true, true, false, false], channels: [0, 0, 0, 0],
            channelNames: ["web"], ranking: ChannelRanking(customers: [4], names: ["web"], limit: 5))
        var rows: [SurvivalRecord] = []
        _ = survival.curves(order: [0], maxOffset: 1, confidence: 0.95) { rows.append($0) }
        XCTAssertEqual(rows.map(\.channel), ["(all)", "(all)", "web", "web"])
        guard case .mark(let m) = rows[2], case .median(let median) = rows[3] else {
            return XCTFail("\(rows)")
        }
        XCTAssertEqual([m.monthMark, m.day, m.atRisk, m.events], [1, 30, 1, 2])
        XCTAssertEqual(try XCTUnwrap(m.survival), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(m.ciLower), 0.058, accuracy: 5e-4)
        XCTAssertEqual(try XCTUnwrap(m.ciUpper), 0.845, accuracy: 5e-4)
        XCTAssertEqual(median, SurvivalRecord.Median(channel: "web", medianDays: 20, customers: 4, churned: 2))
        XCTAssertEqual(
            rows[0],
            .mark(
                SurvivalRecord.Mark(
                    channel: "(all)", monthMark: m.monthMark, day: m.day, atRisk: m.atRisk, events: m.events,
                    survival: m.survival, ciLower: m.ciLower, ciUpper: m.ciUpper)))
    }

    /// Without customers there are no rows and no restricted mean; a channel left out of `order`
    /// (it has no customers) has no rows, and without pooling there is no (other).
    func testNoRowsWithoutCustomers() {
        let empty = ChannelSurvival(
            durations: [], events: [], channels: [], channelNames: ["web"],
            ranking: ChannelRanking(customers: [0], names: ["web"], limit: 5))
        var rows: [SurvivalRecord] = []
        XCTAssertNil(empty.curves(order: [], maxOffset: 3, confidence: 0.95) { rows.append($0) })
        XCTAssertTrue(rows.isEmpty)

        let one = ChannelSurvival(
            durations: [5], events: [true], channels: [1], channelNames: ["web", "ads"],
            ranking: ChannelRanking(customers: [0, 1], names: ["web", "ads"], limit: 5))
        _ = one.curves(order: [1], maxOffset: 1, confidence: 0.95) { rows.append($0) }
        XCTAssertEqual(rows.map(\.channel), ["(all)", "(all)", "ads", "ads"])
    }

    /// The documented example: channels a (durations 1, 2) and b (3, 4), all churned, with an
    /// empty channel x between them, which gets no group: Z_a = 2 − (1/2 + 1/3) = 7/6,
    /// V = 1/4 + 2/9 = 17/36, statistic (7/6)² / (17/36) = 49/17, df 1, p = P(χ²₁ > 49/17) = 0.089555.
    func testLogRankOverTheChannelsWithCustomers() throws {
        let names = ["a", "x", "b"]
        let survival = ChannelSurvival(
            durations: [1, 2, 3, 4], events: [true, true, true, true], channels: [0, 0, 2, 2], channelNames: names,
            ranking: ChannelRanking(customers: [2, 0, 2], names: names, limit: 5))
        let r = survival.logRank(order: [2, 0])
        XCTAssertEqual(r.groups, ["b", "a"])
        XCTAssertEqual(try XCTUnwrap(r.statistic), 49.0 / 17, accuracy: 1e-12)
        XCTAssertEqual(r.df, 1)
        XCTAssertEqual(try XCTUnwrap(r.pValue), 0.0895551, accuracy: 1e-6)
        XCTAssertEqual(r.pooledChannels, 0)
    }

    /// max_channels 1 with a (1, 2), b (3, 4) and c (5), all churned: a and b tie on two
    /// customers and a wins by name, so b and c test as one group (other) with 3, 4, 5.
    ///
    ///     t  n  n_a  Z_a += 1 − n_a/n   f = (n − 1) / (n² (n − 1)) = 1/n²   V += f (n_a n − n_a²)
    ///     1  5  2    3/5                1/25                               6/25
    ///     2  4  1    3/4                1/16                               3/16
    ///     3+    0    0                                                     0
    ///
    /// Z = 27/20, V = 171/400, statistic (27/20)² / (171/400) = 81/19 = 4.263158, df 1,
    /// p = P(χ²₁ > 81/19) = 0.038947.
    func testLogRankPoolsTheOtherChannelsIntoOneGroup() throws {
        let names = ["a", "b", "c"]
        let survival = ChannelSurvival(
            durations: [1, 2, 3, 4, 5], events: [true, true, true, true, true], channels: [0, 0, 1, 1, 2],
            channelNames: names, ranking: ChannelRanking(customers: [2, 2, 1], names: names, limit: 1))
        let r = survival.logRank(order: [0, 1, 2])
        XCTAssertEqual(r.groups, ["a", "(other)"])
        XCTAssertEqual(try XCTUnwrap(r.statistic), 81.0 / 19, accuracy: 1e-12)
        XCTAssertEqual(r.df, 1)
        XCTAssertEqual(try XCTUnwrap(r.pValue), 0.0389475, accuracy: 1e-6)
        XCTAssertEqual(r.pooledChannels, 2)
    }
}

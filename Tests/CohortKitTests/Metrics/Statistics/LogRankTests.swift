import XCTest

@testable import CohortKit

final class LogRankTests: XCTestCase {
    func testMatchesLifelinesMultivariate() throws {
        let golden = try SurvivalGolden.load()
        let r = LogRank.test(
            durations: golden.rows.duration, events: golden.rows.event,
            groups: golden.rows.group, groupCount: golden.groupCount)
        XCTAssertEqual(r.df, golden.logrank.df)
        assertClose(r.statistic, golden.logrank.statistic)
        assertClose(r.pValue, golden.logrank.pValue)
    }

    /// Groups without members change nothing, wherever they sit; rows outside the groups are left out.
    func testEmptyGroupsAndStrayRowsAreIgnored() throws {
        let golden = try SurvivalGolden.load()
        let rows = golden.rows
        let trailingEmpty = LogRank.test(
            durations: rows.duration, events: rows.event, groups: rows.group, groupCount: 6)
        let shifted = rows.group.map { $0 >= 2 ? $0 + 1 : $0 }  // group 2 left empty
        let middleEmpty = LogRank.test(durations: rows.duration, events: rows.event, groups: shifted, groupCount: 5)
        let stray = LogRank.test(
            durations: rows.duration + [1, 2, 900], events: rows.event + [true, true, true],
            groups: rows.group + [-1, 4, 7], groupCount: 4)
        for r in [trailingEmpty, middleEmpty, stray] {
            XCTAssertEqual(r.df, 3)
            assertClose(r.statistic, golden.logrank.statistic)
            assertClose(r.pValue, golden.logrank.pValue)
        }
    }

    func testPairwiseMatchLifelinesAndHolmMatchesStatsmodels() throws {
        let golden = try SurvivalGolden.load()
        let rows = golden.rows
        let pairs = LogRank.pairwise(
            durations: rows.duration, events: rows.event, groups: rows.group,
            groupCount: golden.groupCount)
        XCTAssertEqual(pairs.map { [$0.a, $0.b] }, golden.pairwise.map { [$0.a, $0.b] })
        let holm = MultipleTesting.holm(pairs.map { $0.result.pValue ?? .nan })
        for (i, (pair, expected)) in zip(pairs, golden.pairwise).enumerated() {
            let label = "\(expected.a) vs \(expected.b)"
            XCTAssertEqual(pair.result.df, 1, label)
            assertClose(pair.result.statistic, expected.statistic, label)
            assertClose(pair.result.pValue, expected.pValue, label)
            assertClose(holm[i], expected.pHolm, label)

            // The same pair as a two-group test on its rows alone (lifelines' logrank_test).
            let keep = rows.group.indices.filter { rows.group[$0] == Int32(pair.a) || rows.group[$0] == Int32(pair.b) }
            let alone = LogRank.test(
                durations: keep.map { rows.duration[$0] }, events: keep.map { rows.event[$0] },
                groups: keep.map { rows.group[$0] }, groupCount: golden.groupCount)
            assertClose(alone.statistic, expected.statistic, label)
        }
    }

    /// [1, 2] vs [3, 4], all churned. Day 1: n = 4, group 0 has 2 at risk, Z += 1 - 2/4,
    /// V += (3/3)(1/16)·2·2 = 1/4; day 2: n = 3, Z += 1 - 1/3, V += (2/2)(1/9)·1·2 = 2/9; days 3, 4
    /// add nothing for group 0. Z = 7/6, V = 17/36, statistic = (49/36)/(17/36) = 49/17.
    func testTinyHandWorked() throws {
        let golden = try SurvivalGolden.load()
        let tiny = golden.tinyLogrank
        let r = LogRank.test(durations: tiny.durations, events: tiny.events, groups: tiny.groups, groupCount: 2)
        XCTAssertEqual(r.df, 1)
        assertClose(r.statistic, 49.0 / 17, tolerance: 1e-14)
        assertClose(r.statistic, tiny.statistic)
        assertClose(r.pValue, tiny.pValue)
    }

    func testFewerThanTwoGroups() {
        let one = LogRank.test(durations: [1, 2, 3], events: [true, false, true], groups: [1, 1, 1], groupCount: 3)
        XCTAssertEqual(one, LogRankResult(statistic: nil, df: 0, pValue: nil))
        let none = LogRank.test(durations: [], events: [], groups: [], groupCount: 2)
        XCTAssertEqual(none, LogRankResult(statistic: nil, df: 0, pValue: nil))
        XCTAssertTrue(LogRank.pairwise(durations: [1], events: [true], groups: [0], groupCount: 2).isEmpty)
    }

    /// No churn at all: nothing observed, nothing expected; lifelines gives statistic 0, p-value 1.
    func testNoEvents() {
        let r = LogRank.test(
            durations: [1, 2, 3, 4], events: [false, false, false, false], groups: [0, 1, 0, 1], groupCount: 2)
        XCTAssertEqual(r.statistic, 0)
        XCTAssertEqual(r.df, 1)
        XCTAssertEqual(r.pValue, 1)
    }

    /// A group whose members all leave before the first churn carries no information; the statistic
    /// equals the test without it (lifelines' pseudo-inverse), with its degree of freedom still counted.
    func testGroupWithNobodyAtRiskAtAnyEvent() {
        let durations: [Int32] = [5, 6, 7, 8, 9, 10, 1, 1]
        let events = [true, true, false, true, true, true, false, false]
        let groups: [Int32] = [0, 0, 0, 1, 1, 1, 2, 2]
        let without = LogRank.test(
            durations: Array(durations[0..<6]), events: Array(events[0..<6]),
            groups: Array(groups[0..<6]), groupCount: 2)
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            let relabelled = groups.map { Int32(order[Int($0)]) }
            let with = LogRank.test(durations: durations, events: events, groups: relabelled, groupCount: 3)
            XCTAssertEqual(with.df, 2)
            assertClose(with.statistic, without.statistic ?? .nan, tolerance: 1e-12, "order \(order)")
        }
    }

    func testMillionCustomers() {
        var generator = SplitMix64(seed: 7)
        let n = 1_000_000
        var durations = [Int32](repeating: 0, count: n)
        var events = [Bool](repeating: false, count: n)
        var groups = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            durations[i] = Int32(generator.next() % 20_000)
            events[i] = generator.next() % 10 < 7
            groups[i] = Int32(generator.next() % 4)
        }
        let r = LogRank.test(durations: durations, events: events, groups: groups, groupCount: 4)
        XCTAssertEqual(r.df, 3)
        XCTAssertNotNil(r.pValue)
    }
}

/// Pairwise tests and per-group curves from per-group counts per distinct duration.
final class LogRankGroupTableTests: XCTestCase {
    /// The two-group test on two groups' tables gives exactly (bit for bit) what the test on the
    /// two groups' rows gives, and a group's Kaplan-Meier curve from its table equals the one from
    /// its rows; on seeded random groups with many ties, empty groups and rows outside any group.
    func testTablesGiveIdenticalResultsToRows() {
        var rng = SplitMix64(seed: 5)
        for round in 0..<12 {
            let n = 50 + rng.below(400)
            let groupCount = 2 + rng.below(6)
            let days = 1 + rng.below(round.isMultiple(of: 3) ? 5 : 200)
            var durations: [Int32] = []
            var events: [Bool] = []
            var groups: [Int32] = []
            for _ in 0..<n {
                durations.append(Int32(rng.below(days)))
                events.append(rng.chance(0.6))
                // Group groupCount - 1 stays empty; -1 rows belong to no group.
                groups.append(rng.chance(0.05) ? -1 : Int32(rng.below(groupCount - 1)))
            }
            let tables = LogRank.groupTables(
                order: DurationTable.order(durations), durations: durations,
                events: events, groups: groups, groupCount: groupCount)
            XCTAssertTrue(tables[groupCount - 1].days.isEmpty)
            for a in 0..<groupCount {
                let rows = groups.indices.filter { groups[$0] == Int32(a) }
                let km = KaplanMeier(durations: rows.map { durations[$0] }, events: rows.map { events[$0] })
                let fromTable = KaplanMeier(table: tables[a])
                XCTAssertEqual(fromTable.eventTimes, km.eventTimes)
                XCTAssertEqual(fromTable.customers, km.customers)
                XCTAssertEqual(fromTable.churned, km.churned)
                XCTAssertEqual(fromTable.atRisk(atDay: days / 2), km.atRisk(atDay: days / 2))
                for b in (a + 1)..<groupCount {
                    let keep = groups.indices.filter { groups[$0] == Int32(a) || groups[$0] == Int32(b) }
                    let byRows = LogRank.test(
                        durations: keep.map { durations[$0] }, events: keep.map { events[$0] },
                        groups: keep.map { groups[$0] == Int32(a) ? 0 : 1 }, groupCount: 2)
                    let byTables = LogRank.test(tables[a], tables[b])
                    XCTAssertEqual(byTables, byRows, "round \(round), \(a) vs \(b)")
                }
            }
            let pairs = LogRank.pairwise(durations: durations, events: events, groups: groups, groupCount: groupCount)
            XCTAssertEqual(pairs.count, (groupCount - 1) * (groupCount - 2) / 2, "empty groups are not paired")
        }
    }
}

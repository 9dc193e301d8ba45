import XCTest

@testable import CohortKit

final class KaplanMeierTests: XCTestCase {
    // MARK: Golden values from lifelines

    func testCurvesMatchLifelinesAtMonthMarks() throws {
        let golden = try SurvivalGolden.load()
        XCTAssertEqual(golden.marks, (1...24).map(KaplanMeier.monthMarkDay))
        for curve in golden.curves {
            let rows = golden.rows(ofGroup: curve.group)
            let km = KaplanMeier(durations: rows.durations, events: rows.events)
            let label = "group \(curve.group.map(String.init) ?? "all") at \(curve.confidence)"
            XCTAssertEqual(km.customers, curve.customers, label)
            XCTAssertEqual(km.churned, curve.churned, label)
            XCTAssertEqual(km.medianDays, curve.medianDays, label)
            for (k, day) in golden.marks.enumerated() {
                let where_ = "\(label), day \(day)"
                assertClose(km.survival(atDay: day), curve.survival[k], where_)
                let ci = km.confidenceInterval(atDay: day, confidence: curve.confidence)
                assertClose(ci?.lower, curve.ciLower[k], where_)
                assertClose(ci?.upper, curve.ciUpper[k], where_)
                XCTAssertEqual(km.atRisk(atDay: day), curve.atRisk[k], where_)
                XCTAssertEqual(km.cumulativeEvents(throughDay: day), curve.events[k], where_)
            }
            for (upTo, expected) in curve.restrictedMeanDays {
                assertClose(km.restrictedMeanDays(upToDay: Int(upTo) ?? -1), expected, label)
            }
        }
    }

    func testCurvesMatchLifelinesOnEveryObservedDay() throws {
        let golden = try SurvivalGolden.load()
        for curve in golden.curves {
            let rows = golden.rows(ofGroup: curve.group)
            let km = KaplanMeier(durations: rows.durations, events: rows.events)
            let t = curve.timeline
            for (i, day) in t.day.enumerated() {
                let label = "group \(curve.group.map(String.init) ?? "all"), day \(day)"
                assertClose(km.survival(atDay: day), t.survival[i], label)
                let ci = km.confidenceInterval(atDay: day, confidence: curve.confidence)
                assertClose(ci?.lower, t.ciLower[i], label)
                assertClose(ci?.upper, t.ciUpper[i], label)
            }
        }
    }

    // MARK: Hand-worked cases

    /// Durations 1, 2, 2, 3, all churned: S(1) = 3/4, S(2) = 3/4 · (1 - 2/3) = 1/4, S(3) = 0.
    /// Area on [0, 4]: 1·1 + 3/4·1 + 1/4·1 + 0·1 = 2.
    func testSmallCurve() {
        let km = KaplanMeier(durations: [1, 2, 2, 3], events: [true, true, true, true])
        XCTAssertEqual(km.eventTimes.map(\.day), [1, 2, 3])
        XCTAssertEqual(km.eventTimes.map(\.atRisk), [4, 3, 1])
        XCTAssertEqual(km.eventTimes.map(\.events), [1, 2, 1])
        XCTAssertEqual(km.survival(atDay: 0), 1)
        XCTAssertEqual(km.survival(atDay: 1), 0.75, accuracy: 1e-15)
        XCTAssertEqual(km.survival(atDay: 2), 0.25, accuracy: 1e-15)
        XCTAssertEqual(km.survival(atDay: 3), 0)
        XCTAssertEqual(km.survival(atDay: 100), 0)
        XCTAssertEqual(km.medianDays, 2)
        XCTAssertEqual(km.restrictedMeanDays(upToDay: 4), 2, accuracy: 1e-15)
        XCTAssertEqual(km.restrictedMeanDays(upToDay: 1), 1, accuracy: 1e-15)
        XCTAssertEqual(km.restrictedMeanDays(upToDay: 0), 0)
    }

    /// Durations 10, 20, 30, 40, all churned: S(10) = 3/4, S(20) = 3/4 · 2/3 = 1/2 exactly, so the
    /// median is day 20 (not 30).
    func testMedianAtExactHalf() {
        let km = KaplanMeier(durations: [10, 20, 30, 40], events: [true, true, true, true])
        XCTAssertEqual(km.medianDays, 20)
    }

    /// Ten customers churning 1, 2, 2, 3, 3 and five on day 4: S(3) = 9/10 · 7/9 · 5/7 = 1/2
    /// exactly, but the floating-point product is 0.5000000000000001; the median is still day 3.
    func testMedianAtExactHalfThatRoundsAbove() {
        let km = KaplanMeier(durations: [1, 2, 2, 3, 3, 4, 4, 4, 4, 4], events: Array(repeating: true, count: 10))
        XCTAssertEqual(km.survival(atDay: 3), 0.5, accuracy: 1e-15)
        XCTAssertEqual(km.medianDays, 3)
    }

    func testAllCensored() {
        let km = KaplanMeier(durations: [5, 10, 15], events: [false, false, false])
        XCTAssertNil(km.medianDays)
        XCTAssertTrue(km.eventTimes.isEmpty)
        XCTAssertEqual(km.churned, 0)
        for day in [0, 5, 12, 15, 400] {
            XCTAssertEqual(km.survival(atDay: day), 1)
            let ci = km.confidenceInterval(atDay: day)
            XCTAssertEqual(ci?.lower, 1)
            XCTAssertEqual(ci?.upper, 1)
            XCTAssertEqual(km.cumulativeEvents(throughDay: day), 0)
        }
        XCTAssertEqual(km.atRisk(atDay: 0), 3)
        XCTAssertEqual(km.atRisk(atDay: 10), 2)
        XCTAssertEqual(km.atRisk(atDay: 11), 1)
        XCTAssertEqual(km.atRisk(atDay: 16), 0)
        XCTAssertEqual(km.restrictedMeanDays(upToDay: 20), 20)
    }

    func testOneCustomer() {
        let km = KaplanMeier(durations: [7], events: [true])
        XCTAssertEqual(km.survival(atDay: 6), 1)
        XCTAssertEqual(km.survival(atDay: 7), 0)
        XCTAssertEqual(km.medianDays, 7)
        let ci = km.confidenceInterval(atDay: 7)
        XCTAssertEqual(ci?.lower, 0)
        XCTAssertEqual(ci?.upper, 0)
        XCTAssertEqual(km.atRisk(atDay: 7), 1)
        XCTAssertEqual(km.atRisk(atDay: 8), 0)
        XCTAssertEqual(km.cumulativeEvents(throughDay: 6), 0)
        XCTAssertEqual(km.cumulativeEvents(throughDay: 7), 1)
        XCTAssertEqual(km.restrictedMeanDays(upToDay: 30), 7)

        let censored = KaplanMeier(durations: [7], events: [false])
        XCTAssertNil(censored.medianDays)
        XCTAssertEqual(censored.survival(atDay: 100), 1)
    }

    func testNoCustomers() {
        let km = KaplanMeier(durations: [], events: [])
        XCTAssertEqual(km.customers, 0)
        XCTAssertNil(km.medianDays)
        XCTAssertEqual(km.survival(atDay: 30), 1)
        XCTAssertEqual(km.atRisk(atDay: 0), 0)
    }

    /// A churn and a censoring on the same day: the censored customer is still at risk that day.
    /// Durations 3, 3, 5, 5, 8 with churned = yes, no, yes, no, yes:
    /// day 3: n = 5, d = 1, S = 4/5; day 5: n = 3, d = 1, S = 4/5 · 2/3 = 8/15; day 8: n = 1, S = 0.
    /// Greenwood sum at day 5: 1/(5·4) + 1/(3·2) = 13/60.
    func testCensoredOnAnEventDayIsAtRisk() {
        let km = KaplanMeier(durations: [3, 3, 5, 5, 8], events: [true, false, true, false, true])
        XCTAssertEqual(km.eventTimes.map(\.atRisk), [5, 3, 1])
        XCTAssertEqual(km.survival(atDay: 4), 0.8, accuracy: 1e-15)
        XCTAssertEqual(km.survival(atDay: 5), 8.0 / 15, accuracy: 1e-15)
        XCTAssertEqual(km.eventTimes[1].greenwoodSum, 13.0 / 60, accuracy: 1e-15)
        XCTAssertEqual(km.atRisk(atDay: 5), 3)
        XCTAssertEqual(km.cumulativeEvents(throughDay: 5), 2)
        XCTAssertEqual(km.medianDays, 8)
    }

    func testConfidenceOutsideZeroOneIsNil() {
        let km = KaplanMeier(durations: [1, 2, 3], events: [true, false, true])
        XCTAssertNil(km.confidenceInterval(atDay: 2, confidence: 1))
        XCTAssertNil(km.confidenceInterval(atDay: 2, confidence: 0))
    }

    /// round(30.4375 k) with halves up: 30.4375, 60.875, 243.5, 365.25, 487, 730.5.
    func testMonthMarks() {
        XCTAssertEqual(KaplanMeier.monthMarkDay(0), 0)
        XCTAssertEqual(KaplanMeier.monthMarkDay(1), 30)
        XCTAssertEqual(KaplanMeier.monthMarkDay(2), 61)
        XCTAssertEqual(KaplanMeier.monthMarkDay(8), 244)
        XCTAssertEqual(KaplanMeier.monthMarkDay(12), 365)
        XCTAssertEqual(KaplanMeier.monthMarkDay(16), 487)
        XCTAssertEqual(KaplanMeier.monthMarkDay(24), 731)
    }

    /// Widely spread durations take the sorting path instead of the day-counting one; both must agree.
    func testSparseDurationsMatchDenseOnes() {
        let base: [Int32] = [3, 3, 5, 5, 8, 8, 13]
        let events = [true, false, true, true, false, true, true]
        let dense = KaplanMeier(durations: base, events: events)
        let sparse = KaplanMeier(durations: base.map { $0 * 100_000 }, events: events)
        XCTAssertEqual(dense.eventTimes.map(\.survival), sparse.eventTimes.map(\.survival))
        XCTAssertEqual(sparse.eventTimes.map(\.day), dense.eventTimes.map { $0.day * 100_000 })
        XCTAssertEqual(sparse.atRisk(atDay: 500_000), dense.atRisk(atDay: 5))
    }

    /// A million customers, the size the pipeline is built for: totals must add up.
    func testMillionCustomers() {
        var generator = SplitMix64(seed: 42)
        let n = 1_000_000
        var durations = [Int32](repeating: 0, count: n)
        var events = [Bool](repeating: false, count: n)
        for i in 0..<n {
            durations[i] = Int32(generator.next() % 20_000)
            events[i] = generator.next() % 10 < 7
        }
        let km = KaplanMeier(durations: durations, events: events)
        XCTAssertEqual(km.customers, n)
        XCTAssertEqual(km.churned, events.filter { $0 }.count)
        XCTAssertEqual(km.atRisk(atDay: 0), n)
        XCTAssertEqual(km.cumulativeEvents(throughDay: 20_000), km.churned)
    }
}

/// A small seeded generator so large tests are repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

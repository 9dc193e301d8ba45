import XCTest

@testable import CohortKit

/// `HeadlineKPIs`: the kpis.json figures on a two-customer project worked by hand
/// (docs/metrics.md#headline-kpis).
final class HeadlineKPIsTests: XCTestCase {
    let jan = Month(year: 2024, month: 1)
    let feb = Month(year: 2024, month: 2)
    let mar = Month(year: 2024, month: 3)
    let apr = Month(year: 2024, month: 4)

    private func snapshots(from start: Day, to end: Int32 = PaidInterval.open, mrr: Int64) throws -> CustomerSnapshots {
        var s = CustomerSnapshots()
        try s.load([PaidInterval(start: start.raw, end: end, mrrMinor: mrr, product: 0)], lastMonth: apr)
        return s
    }

    /// A pays 100 from 2024-01-01 on; B pays 100 from 2024-01-01 and leaves on 2024-02-15.
    /// Monthly windows (base at the previous month-end): January has no base; February's base is
    /// A and B, of whom B is gone at its end (churn 1/2); March's and April's base is A (churn 0).
    private func windows() throws -> WindowsAccumulator {
        var w = WindowsAccumulator(firstMonth: jan, lastMonth: apr, channels: 1)
        let day1 = try XCTUnwrap(Day(year: 2024, month: 1, day: 1))
        let leaves = try XCTUnwrap(Day(year: 2024, month: 2, day: 15))
        w.add(channel: 0, snapshots: try snapshots(from: day1, mrr: 100))
        w.add(channel: 0, snapshots: try snapshots(from: day1, to: leaves.raw, mrr: 100))
        return w
    }

    func testMonthlyChurnIsTheMeanOfTheMonthsWithABase() throws {
        let (mean, months, base) = HeadlineKPIs.monthlyLogoChurn(try windows(), lastMonth: apr)
        // (0 + 0 + 1/2) / 3: January, with no base, has no rate and is skipped.
        XCTAssertEqual(months, 3)
        XCTAssertEqual(try XCTUnwrap(mean), 1.0 / 6, accuracy: 1e-12)
        // Bases 1 (April), 1 (March), 2 (February): 4 / 3, rounded down.
        XCTAssertEqual(base, 1)
        let early = HeadlineKPIs.monthlyLogoChurn(try windows(), lastMonth: feb)
        XCTAssertEqual(early.months, 1)
        XCTAssertEqual(early.mean, 0.5)
        XCTAssertEqual(early.baseCustomers, 2)
        let none = HeadlineKPIs.monthlyLogoChurn(try windows(), lastMonth: jan)
        XCTAssertEqual(none.months, 0)
        XCTAssertNil(none.mean)
        XCTAssertEqual(none.baseCustomers, 0)
    }

    func testMonthlyChurnUsesAtMostTheLast12Rates() throws {
        let first = Month(year: 2022, month: 1)
        var w = WindowsAccumulator(firstMonth: first, lastMonth: apr, channels: 1)
        // Paying from 2022-01-01 on: 27 monthly windows with a base, all without churn.
        let start = try XCTUnwrap(Day(year: 2022, month: 1, day: 1))
        var s = CustomerSnapshots()
        try s.load([PaidInterval(start: start.raw, end: PaidInterval.open, mrrMinor: 5, product: 0)], lastMonth: apr)
        w.add(channel: 0, snapshots: s)
        let (mean, months, base) = HeadlineKPIs.monthlyLogoChurn(w, lastMonth: apr)
        XCTAssertEqual(months, 12)
        XCTAssertEqual(mean, 0)
        XCTAssertEqual(base, 1)
    }

    func testAnnualChurnCompoundsTheMonthlyRate() {
        // 1 - 0.99^12 = 0.113615128...
        XCTAssertEqual(HeadlineKPIs.annualChurn(monthly: 0.01), 0.1136151283, accuracy: 1e-10)
        XCTAssertEqual(HeadlineKPIs.annualChurn(monthly: 0), 0)
        XCTAssertEqual(HeadlineKPIs.annualChurn(monthly: 1), 1)
    }

    func testPayingBaseCountsCustomersAboveZeroAndChecksTheSum() throws {
        let base = try HeadlineKPIs.payingBase(mrrAtAsOf: [100, 0, 50, 0])
        XCTAssertEqual(base.customers, 2)
        XCTAssertEqual(base.mrrMinor, 150)
        XCTAssertThrowsError(try HeadlineKPIs.payingBase(mrrAtAsOf: [Int64.max, 1])) {
            XCTAssertTrue($0 is MoneyOverflow, "\($0)")
        }
    }

    func testProjectionBaseGroupsByCohortOldestFirstWithAges() throws {
        let base = try HeadlineKPIs.projectionBase(
            [
                .init(cohort: mar, mrrMinor: 30), .init(cohort: jan, mrrMinor: 100), .init(cohort: jan, mrrMinor: 50),
            ], lastMonth: apr)
        XCTAssertEqual(
            base,
            [
                RetentionProjection.BaseCohort(age: 3, customers: 2, mrr: 150),
                RetentionProjection.BaseCohort(age: 1, customers: 1, mrr: 30),
            ])
    }

    func testEveryFigureOfTheHandWorkedProject() throws {
        let asOf = try XCTUnwrap(Day(year: 2024, month: 4, day: 30))
        // A pays 100 at as_of, B nothing; restricted mean lifetime 304.375 days = 10 months.
        let k = try HeadlineKPIs.compute(
            asOf: asOf, lastMonth: apr, currency: "JPY", minorUnits: 0, windows: try windows(), mrrAtAsOf: [100, 0],
            paying: [.init(cohort: jan, mrrMinor: 100)], restrictedMeanDays: 304.375, links: nil)
        XCTAssertEqual(k.asOf, "2024-04-30")
        XCTAssertEqual(k.lastMonth, "2024-04")
        XCTAssertEqual(k.currency, "JPY")
        XCTAssertEqual(k.activeCustomers, 1)
        XCTAssertEqual(k.mrrMinor, 100)
        XCTAssertEqual(k.arpaMinor, 100)
        XCTAssertEqual(k.logoChurnMonthlyMonths, 3)
        XCTAssertEqual(try XCTUnwrap(k.logoChurnMonthly), 1.0 / 6, accuracy: 1e-12)
        // 1 - (5/6)^12 = 0.887842...
        XCTAssertEqual(try XCTUnwrap(k.logoChurnAnnual), 1 - pow(5.0 / 6, 12), accuracy: 1e-12)
        // 100 / (1/6) = 600; 100 × 10 = 1000.
        XCTAssertEqual(k.ltvChurnMinor, 600)
        XCTAssertEqual(k.restrictedMeanLifetimeMonths, 10)
        XCTAssertEqual(k.ltvSurvivalMinor, 1000)
        // The trailing-12-month window starts in 2023-04, before anyone paid: an empty base.
        XCTAssertEqual(k.trailing12mBaseCustomers, 0)
        XCTAssertNil(k.nrrTrailing12m)
        XCTAssertNil(k.logoChurnTrailing12m)
        XCTAssertNil(k.projectedNRR12m, "no links, no outlook")
        XCTAssertNil(k.projectedLogoChurn12m)
    }

    func testNoMonthsGiveNullRatesAndNoCrash() throws {
        let asOf = try XCTUnwrap(Day(year: 2024, month: 4, day: 30))
        let empty = WindowsAccumulator(firstMonth: apr, lastMonth: mar, channels: 0)
        let k = try HeadlineKPIs.compute(
            asOf: asOf, lastMonth: mar, currency: "USD", minorUnits: 2, windows: empty, mrrAtAsOf: [],
            paying: [], restrictedMeanDays: nil, links: nil)
        XCTAssertEqual(k.activeCustomers, 0)
        XCTAssertNil(k.arpaMinor)
        XCTAssertNil(k.logoChurnMonthly)
        XCTAssertEqual(k.logoChurnMonthlyMonths, 0)
        XCTAssertNil(k.ltvChurnMinor)
        XCTAssertNil(k.ltvSurvivalMinor)
    }

    /// ARPA and the LTVs are whole minor units, as every `_minor` field: MRR 1,000 over three
    /// active customers is an ARPA of 333.33, written 333; over a lifetime of 10 months the LTV is
    /// 3,333.33 from the unrounded ARPA (3,330 from the rounded one), written 3,333; halves round
    /// away from zero.
    func testARPAAndLTVAreWholeMinorUnitsFromTheUnroundedARPA() throws {
        let asOf = try XCTUnwrap(Day(year: 2024, month: 4, day: 30))
        let k = try HeadlineKPIs.compute(
            asOf: asOf, lastMonth: apr, currency: "JPY", minorUnits: 0, windows: try windows(),
            mrrAtAsOf: [400, 300, 300, 0], paying: [.init(cohort: jan, mrrMinor: 1000)], restrictedMeanDays: 304.375,
            links: nil)
        XCTAssertEqual(k.arpaMinor, 333)
        XCTAssertEqual(k.ltvSurvivalMinor, 3333)
        let text = try k.json.serialized()
        XCTAssertTrue(text.contains(#""arpa_minor":333,"#), text)
        XCTAssertEqual(LTV.wholeMinor(1.5), 2)
        XCTAssertEqual(LTV.wholeMinor(-1.5), -2)
        XCTAssertEqual(LTV.wholeMinor(2.4999), 2)
        XCTAssertNil(LTV.wholeMinor(1e19), "past the 64-bit range")
        XCTAssertNil(LTV.wholeMinor(.infinity))
        XCTAssertNil(LTV.wholeMinor(nil))
    }
}

import XCTest

@testable import CohortKit

/// What changed since the previous run (docs/metrics.md#drift-alerts), worked by hand.
final class RunDriftTests: XCTestCase {
    func alert(_ cohort: String, _ channel: String, _ offset: Int) -> DriftAlertRow {
        DriftAlertRow(
            cohort: cohort, channel: channel, offset: offset, logo: 0.5, bandLower: 0.6, predecessorsRetention: 0.7)
    }

    /// The previous run saw web's 2024-03 cohort up to offset 3: an alert at offset 3 is old
    /// news, one at offset 4 is new; a cohort the previous run never saw alerts; with no
    /// previous run every alert is new.
    func testOnlyCellsNewSinceThePreviousRunAlert() {
        let alerts = [alert("2024-03", "web", 3), alert("2024-03", "web", 4), alert("2024-05", "web", 1)]
        let previous = ReportHistory(
            asOf: "2024-11-30", kpis: [], newestOffset: [ReportHistory.key("web", "2024-03"): 3])
        XCTAssertEqual(
            RunDrift.newCohortAlerts(alerts, previous: previous),
            [alert("2024-03", "web", 4), alert("2024-05", "web", 1)])
        XCTAssertEqual(RunDrift.newCohortAlerts(alerts, previous: nil), alerts)
    }

    /// With a 5-point threshold: NRR 1.10 → 1.02 moved 8 points (a move); GRR 0.90 → 0.87 moved
    /// 3 (none); MRR is money, never a move; a metric the previous run lacked has nothing to
    /// compare with.
    func testRatiosThatMovedMoreThanThePointsAreMoves() {
        let kpis = [
            HeadlineKPI(id: "nrr_trailing_12m", value: 1.02, kind: .percent, definitionKey: "nrr"),
            HeadlineKPI(id: "grr_trailing_12m", value: 0.87, kind: .percent, definitionKey: "grr"),
            HeadlineKPI(id: "mrr", value: 1_000_000, kind: .money, definitionKey: "mrr"),
            HeadlineKPI(id: "activation_rate", value: 0.5, kind: .percent, definitionKey: "activation"),
        ]
        let previous = ReportHistory(
            asOf: "2024-11-30", kpis: [("nrr_trailing_12m", 1.10), ("grr_trailing_12m", 0.90), ("mrr", 10)],
            newestOffset: [:])
        XCTAssertEqual(
            RunDrift.kpiMoves(kpis, previous: previous, points: 5),
            [KPIMove(id: "nrr_trailing_12m", before: 1.10, after: 1.02, previousAsOf: "2024-11-30")])
        XCTAssertEqual(RunDrift.kpiMoves(kpis, previous: nil, points: 5), [])
        // At 10 points nothing moved enough.
        XCTAssertEqual(RunDrift.kpiMoves(kpis, previous: previous, points: 10), [])
        // A value too thin to judge gets no verdict, and no alert either.
        var thin = kpis
        thin[0].thinBase = .months(2)
        XCTAssertEqual(RunDrift.kpiMoves(thin, previous: previous, points: 5), [])
    }
}

import XCTest

@testable import CohortKit

/// cohort's single-object records, kpis.json and logrank.json: a written value reads back equal
/// through the serialized text, with the documented keys in order.
final class CohortObjectRecordTests: XCTestCase {
    private func roundTrip(_ json: JSONValue) throws -> JSONValue {
        try JSONParser.parse(json.serialized(pretty: true))
    }

    func testKPIsRoundTrip() throws {
        let k = KPIsRecord(
            asOf: "2024-12-31", lastMonth: "2024-12", currency: "JPY", minorUnits: 0, activeCustomers: 100,
            mrrMinor: 1_200_000, arpaMinor: 12_000, nrrTrailing12m: 1.0625, grrTrailing12m: 0.9,
            logoChurnTrailing12m: 0.2, upsellRateTrailing12m: 0.1, crossSellRateTrailing12m: nil,
            trailing12mBaseCustomers: 80, logoChurnMonthly: 0.02, logoChurnMonthlyMonths: 12,
            logoChurnMonthlyBaseCustomers: 75, logoChurnAnnual: 1 - pow(0.98, 12), ltvChurnMinor: 600_000,
            restrictedMeanLifetimeMonths: 700 / 30.4375,
            ltvSurvivalMinor: 275_975, projectedLogoChurn12m: nil, projectedNRR12m: 1.01)
        let back = try KPIsRecord(json: try roundTrip(k.json))
        XCTAssertEqual(back, k)
        XCTAssertEqual(back.number("mrr_minor"), 1_200_000)
        XCTAssertNil(back.number("cross_sell_rate_trailing_12m"))
        let keys = try k.json.objectValue?.map(\.0) ?? []
        XCTAssertEqual(
            keys,
            [
                "as_of", "last_month", "currency", "minor_units", "active_customers", "mrr_minor", "arpa_minor",
                "nrr_trailing_12m", "grr_trailing_12m", "logo_churn_trailing_12m", "upsell_rate_trailing_12m",
                "cross_sell_rate_trailing_12m", "trailing_12m_base_customers", "logo_churn_monthly",
                "logo_churn_monthly_months", "logo_churn_monthly_base_customers", "logo_churn_annual",
                "ltv_churn_minor",
                "restricted_mean_lifetime_months", "ltv_survival_minor", "projected_logo_churn_12m",
                "projected_nrr_12m",
            ])
        try CohortRecordFile.assertDocumented(keys.filter { $0 != "currency" && $0 != "minor_units" })
        // A kpis.json written before the monthly base was recorded still reads, without it.
        guard case .object(let members)? = try? k.json else { return XCTFail("kpis.json is an object") }
        let older = try KPIsRecord(json: .object(members.filter { $0.0 != "logo_churn_monthly_base_customers" }))
        XCTAssertNil(older.logoChurnMonthlyBaseCustomers)
        XCTAssertEqual(older.logoChurnMonthlyMonths, 12)
    }

    func testLogRankRoundTrip() throws {
        let lr = LogRankRecord(
            groups: ["a", "b", "(other)"], statistic: 49.0 / 17, df: 2, pValue: 0.09, pooledChannels: 3)
        XCTAssertEqual(try LogRankRecord(json: try roundTrip(lr.json)), lr)
        let none = LogRankRecord(groups: [], statistic: nil, df: 0, pValue: nil, pooledChannels: 0)
        XCTAssertEqual(try LogRankRecord(json: try roundTrip(none.json)), none)
        let keys = try lr.json.objectValue?.map(\.0) ?? []
        XCTAssertEqual(keys, ["groups", "statistic", "df", "p_value", "pooled_channels"])
        try CohortRecordFile.assertDocumented(["groups", "statistic", "df", "p_value"])
    }
}

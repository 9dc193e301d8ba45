import XCTest

@testable import CohortKit

/// Report sentences that combine numbers with words, in both locales.
final class ReportTextTests: XCTestCase {
    func testSmallPValueReadsAsLessThan() {
        for locale in ReportLocale.allCases {
            let line = Localizer(locale: locale).logRankLine(
                LogRankSummary(statistic: 52.7, df: 4, p: 1e-10),
                ReportFormatter(locale: locale, currency: "JPY", minorUnits: 0))
            XCTAssertTrue(line.contains("p < 0.001"), line)
            XCTAssertFalse(line.contains("p = <"), line)
        }
        let line = Localizer(locale: .en).logRankLine(
            LogRankSummary(statistic: 1.07, df: 1, p: 0.3012),
            ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0))
        XCTAssertTrue(line.contains("p = 0.301"), line)
    }

    func testBandTextFollowsTheLocale() {
        // NRR 1.05 is healthy (100% to 120%); the rule is written in the report's language.
        let (band, en) = MetricCatalog.band("nrr_trailing_12m", 1.05, locale: .en)
        XCTAssertEqual(band, .ok)
        XCTAssertEqual(en, ">= 120% high growth, >= 100% healthy")
        for id in [
            "nrr_trailing_12m", "grr_trailing_12m", "logo_churn_annual", "logo_churn_monthly", "activation_rate",
        ] {
            let (_, ja) = MetricCatalog.band(id, 0.5, locale: .ja)
            XCTAssertFalse(ja.isEmpty, id)
            XCTAssertNil(
                ja.range(of: "[A-Za-z]{3,}", options: .regularExpression),
                "English left in the Japanese band text of \(id): \(ja)")
        }
    }

    func testAnnualChurnBandsUseTheTenPercentBar() {
        XCTAssertEqual(MetricCatalog.band("logo_churn_annual", 0.10).0, .good)
        XCTAssertEqual(MetricCatalog.band("logo_churn_annual", 0.12).0, .ok)
        XCTAssertEqual(MetricCatalog.band("logo_churn_annual", 0.197).0, .bad)
        XCTAssertEqual(MetricCatalog.band("logo_churn_annual", nil).0, .none)
    }

    func testMissingFileMessageSaysWherePathsResolve() {
        let message = "\(InputError.missingFile(path: "work/normalize/intervals.jsonl"))"
        XCTAssertTrue(message.contains("folder of pipeline.json"), message)
        XCTAssertFalse(message.contains("folder you run from"), message)
    }

    /// Accounts at risk: counts grouped, and an empty table explained when the model behind it
    /// did not converge.
    func testAccountsAtRiskSayHowManyAndWhyNone() {
        var m = SampleReportModel.make(locale: .en)
        m.atRisk.accounts = 2363
        let md = MarkdownReport.render(m)
        XCTAssertTrue(md.contains("(2 of 2,363 active accounts)"))
        m.atRisk.rows = []
        m.cox.model = CoxModelInfo(n: 10, events: 0, concordance: nil, converged: false, message: "diverged")
        // (Markdown escapes the colon after "risk", as it does every "word:" that could start a link.)
        let why = "they are scored by the Cox model above, which did not converge on this data."
        XCTAssertTrue(MarkdownReport.render(m).contains(why))
        XCTAssertTrue(HTMLReport.render(m).contains(why))
        m.cox.model?.converged = true
        XCTAssertFalse(MarkdownReport.render(m).contains(why))
    }
}

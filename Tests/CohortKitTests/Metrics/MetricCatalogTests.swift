import XCTest

@testable import CohortKit

/// `MetricCatalog`: each headline metric once, and everything that lists metrics reads it.
final class MetricCatalogTests: XCTestCase {
    func testIDsAreUniqueAndReportIDsToo() {
        XCTAssertEqual(Set(MetricCatalog.all.map(\.id)).count, MetricCatalog.all.count)
        XCTAssertEqual(Set(MetricCatalog.all.map(\.reportID)).count, MetricCatalog.all.count)
    }

    func testKPIsMetricsAreMembersOfKPIsJSON() throws {
        let keys = Set(try KPIsRecord(json: .object([])).json.objectValue?.map(\.0) ?? [])
        for m in MetricCatalog.all where m.source == .kpis {
            XCTAssertTrue(keys.contains(m.id), "\(m.id) is not a kpis.json member")
        }
    }

    func testEveryMetricHasANameInEveryLocale() {
        for locale in ReportLocale.allCases {
            let t = Localizer(locale: locale)
            for m in MetricCatalog.all {
                let name = t.metricNames(m.id)
                XCTAssertNotNil(name, "\(m.id) has no \(locale) name")
                XCTAssertNotEqual(name, m.id, "\(m.id) in \(locale)")
                XCTAssertEqual(t.metricName(m.reportID), name, "\(m.reportID) names the same metric")
            }
        }
        XCTAssertNotEqual(Localizer(locale: .en).metricName("arpa"), Localizer(locale: .ja).metricName("arpa"))
    }

    func testAnchorsAreSectionsOfMetricsDoc() throws {
        let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../docs/metrics.md").standardized
        let text = try String(contentsOf: doc, encoding: .utf8)
        // GitHub's anchors: headings lower-cased, spaces to hyphens, other punctuation dropped.
        let anchors = Set(
            text.split(separator: "\n").filter { $0.hasPrefix("#") }.map { line in
                String(
                    line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
                        .replacingOccurrences(of: " ", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" })
            })
        for m in MetricCatalog.all {
            XCTAssertTrue(anchors.contains(m.anchor), "docs/metrics.md has no #\(m.anchor) for \(m.id)")
        }
    }

    func testChecksAcceptExactlyTheCheckableMetrics() {
        XCTAssertEqual(
            PipelineConfig.metricsForChecks,
            [
                "nrr_trailing_12m", "grr_trailing_12m", "logo_churn_annual", "logo_churn_monthly", "ltv_survival_minor",
                "ltv_churn_minor", "upsell_rate_trailing_12m", "cross_sell_rate_trailing_12m", "activation_rate",
                "projected_nrr_12m", "projected_logo_churn_12m", "drift_alerts",
            ])
        XCTAssertFalse(PipelineConfig.metricsForChecks.contains("mrr_churn_monthly"), "nothing computes it")
        XCTAssertNil(MetricCatalog.metric("mrr_churn_monthly"))
    }

    func testKindsAndRangesDecideTheThresholds() {
        XCTAssertEqual(MetricCatalog.metric("nrr_trailing_12m")?.validRange, 0...10)
        XCTAssertEqual(MetricCatalog.metric("grr_trailing_12m")?.validRange, 0...1)
        XCTAssertEqual(MetricCatalog.metric("ltv_churn")?.id, "ltv_churn_minor", "found by its report id")
        XCTAssertEqual(MetricCatalog.metric("ltv_churn_minor")?.valueKind, .money)
        XCTAssertEqual(MetricCatalog.metric("drift_alerts")?.valueKind, .number)
        XCTAssertEqual(MetricCatalog.metric("projected_nrr_12m")?.valueKind, .percent)
        XCTAssertNil(PipelineConfig.thresholdProblem(metric: "nrr_trailing_12m", value: 3))
        XCTAssertNotNil(PipelineConfig.thresholdProblem(metric: "grr_trailing_12m", value: 3))
        XCTAssertNil(PipelineConfig.thresholdProblem(metric: "ltv_churn_minor", value: 5_000_000))
        XCTAssertNotNil(PipelineConfig.thresholdProblem(metric: "ltv_churn_minor", value: 2e15))
        XCTAssertNotNil(PipelineConfig.thresholdProblem(metric: "drift_alerts", value: 0.5))
    }

    func testBandsAtTheirBars() {
        // Higher is better: NRR 1.2 is good, 1.0 ok, just under 1.0 bad.
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", 1.2).0, .good)
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", 1.0).0, .ok)
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", 0.999).0, .bad)
        XCTAssertEqual(MetricCatalog.band("projected_nrr_12m", 1.25).0, .good, "projected NRR has NRR's bars")
        // Lower is better: monthly churn 0.87% is good, 1.35% ok, 1.4% bad.
        XCTAssertEqual(MetricCatalog.band("logo_churn_monthly", 0.0087).0, .good)
        XCTAssertEqual(MetricCatalog.band("logo_churn_monthly", 0.0135).0, .ok)
        XCTAssertEqual(MetricCatalog.band("logo_churn_monthly", 0.014).0, .bad)
        XCTAssertEqual(MetricCatalog.band("activation_rate", 0.7).0, .ok)
        XCTAssertEqual(MetricCatalog.band("grr_trailing_12m", 0.95, locale: .ja).1, "90% 以上で優良、80% 以上で標準")
        XCTAssertEqual(MetricCatalog.band("arpa", 12_000).0, .none, "no band")
        XCTAssertEqual(MetricCatalog.band("nrr_trailing_12m", nil).0, .none)
    }

    func testHeadlineOrderIsTheReportsTable() {
        XCTAssertEqual(
            Localizer.knownMetricIDs,
            [
                "nrr_trailing_12m", "grr_trailing_12m", "logo_churn_annual", "logo_churn_monthly", "ltv_survival",
                "ltv_churn", "arpa", "upsell_rate", "cross_sell_rate", "activation_rate", "mrr", "active_customers",
                "projected_nrr_12m", "projected_logo_churn_12m",
            ])
    }

    func testCheckingAMetricNothingComputesIsAConfigError() throws {
        let text = #"""
            {"as_of": "2024-12-31", "sources": {"customers": {"path": "c.csv"}, "subscriptions": {"path": "s.csv"}},
             "report": {"checks": [{"metric": "mrr_churn_monthly", "max": 0.02}]}}
            """#
        XCTAssertThrowsError(try PipelineConfig(value: JSONParser.parse(text), file: "/tmp/x/pipeline.json")) { e in
            guard let e = e as? ConfigError else { return XCTFail("\(e)") }
            XCTAssertEqual(e.exitCode, 2)
            XCTAssertEqual(e.keyPath, "report.checks[0].metric")
            XCTAssertTrue(e.message.contains("mrr_churn_monthly"), e.message)
            for m in PipelineConfig.metricsForChecks { XCTAssertTrue(e.hint.contains(m), "hint names \(m): \(e.hint)") }
        }
    }

    func testTheStagesExitWith2NamingTheMetricsTheyCanCheck() throws {
        let dir = try E2EFixture.copy("basic", for: self)
        let config = dir.appendingPathComponent("pipeline.json")
        var cfg = try Output.object(config)
        var report = cfg["report"] as? [String: Any] ?? [:]
        report["checks"] = [["metric": "mrr_churn_monthly", "max": 0.02]]
        cfg["report"] = report
        try JSONSerialization.data(withJSONObject: cfg).write(to: config)
        let r = try StageProcess.run("report", ["--config", config.path])
        assertUserMessage(
            r, exit: 2, mentions: ["mrr_churn_monthly", "report.checks[0].metric", "nrr_trailing_12m", "drift_alerts"],
            "a check on mrr_churn_monthly")
    }

    /// Every band says each of good, ok and bad in every locale, in words that quote its bar;
    /// the report's status words come from there.
    func testBandsHaveStatusWordsThatQuoteTheirBars() {
        for m in MetricCatalog.all {
            guard let b = m.band else { continue }
            let bar = b.good * 100
            let quoted = bar == bar.rounded() ? "\(Int(bar))%" : String(format: "%.2f%%", bar)
            for locale in ReportLocale.allCases {
                let t = Localizer(locale: locale)
                let good = t.bandStatus(b.id, .good) ?? ""
                XCTAssertTrue(good.contains(quoted), "\(m.id): \(good) does not quote \(quoted)")
                XCTAssertFalse(t.bandStatus(b.id, .ok)?.isEmpty ?? true, "\(m.id) ok in \(locale)")
                XCTAssertFalse(t.bandStatus(b.id, .bad)?.isEmpty ?? true, "\(m.id) bad in \(locale)")
                XCTAssertNil(t.bandStatus(b.id, .none))
                XCTAssertTrue(
                    t.bandBars(b.id).contains(quoted), "\(m.id): \(t.bandBars(b.id)) does not quote \(quoted)")
            }
        }
        let t = Localizer(locale: .en)
        let nrr = HeadlineKPI(id: "nrr_trailing_12m", value: 1.05, kind: .percent, band: .ok, definitionKey: "nrr")
        XCTAssertEqual(t.kpiStatus(nrr), "Healthy (≥ 100%)")
        XCTAssertEqual(Localizer(locale: .ja).kpiStatus(nrr), "健全（100% 以上）")
    }

    /// summary.md lists metrics the catalog knows, each once.
    func testSummaryHeadlineNamesCatalogMetrics() {
        for id in MetricCatalog.summaryHeadline {
            XCTAssertNotNil(MetricCatalog.all.first { $0.reportID == id }, id)
        }
        XCTAssertEqual(Set(MetricCatalog.summaryHeadline).count, MetricCatalog.summaryHeadline.count)
    }
}

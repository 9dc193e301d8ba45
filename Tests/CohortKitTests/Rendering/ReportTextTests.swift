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

    /// The survival and segment intervals are at `cohort.confidence`: the report names that level
    /// in both locales and both formats; only the Cox model's, always at 95%, say 95%.
    func testIntervalLabelsNameTheConfiguredLevel() {
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            model.confidence = 0.9
            for page in [MarkdownReport.render(model), HTMLReport.render(model)] {
                let level = locale == .en ? ["Lower 90%", "Upper 90%", "90% CI"] : ["下限 (90%)", "上限 (90%)", "90%信頼区間"]
                for text in level { XCTAssertTrue(page.contains(text), "\(locale): \(text)") }
                XCTAssertFalse(page.contains("Lower 95%") || page.contains("下限 (95%)"), "\(locale)")
            }
            model.confidence = 0.975
            XCTAssertTrue(MarkdownReport.render(model).contains(locale == .en ? "Upper 97.5%" : "上限 (97.5%)"))
        }
        XCTAssertEqual(Localizer(locale: .en)(.ci95), "95% CI")
        XCTAssertEqual(Localizer(locale: .en, confidence: 0.999)(.churnCI), "99.9% CI")
        XCTAssertEqual(Localizer(locale: .en, confidence: 0.9125)(.churnCI), "91.25% CI")
        XCTAssertEqual(Localizer(locale: .ja, confidence: 0.9)(.churnCI), "90%信頼区間")
    }

    /// A segment without a monthly churn rate keeps no revenue at the overall rate: "—", as every
    /// other null in the report, not ¥0.
    func testImpactWithoutARateShowsADash() throws {
        var model = SampleReportModel.make(locale: .en)
        model.impact.rows.append(
            ImpactRow(
                dimension: "acquisition_channel", value: "web", monthlyChurn: nil, overallMonthlyChurn: 0,
                mrrKeptPerYear: nil))
        let row = try XCTUnwrap(model.impactTable().rows.last)
        XCTAssertEqual(row[2], "—")
        XCTAssertEqual(row[4], "—")
        XCTAssertTrue(MarkdownReport.render(model).contains("| web | — | 0.00% | — |"))
    }

    /// A segment named by 200 letters without a space pushed the revenue-impact table's numbers
    /// out of view: its cell may break the name anywhere (`.wrap`); cells of ordinary words keep
    /// their layout.
    func testALongUnbrokenLabelWrapsInItsTableCell() {
        let long = String(repeating: "L", count: 200)
        var model = SampleReportModel.make(locale: .en)
        model.impact.rows.append(
            ImpactRow(
                dimension: "acquisition_channel", value: long, monthlyChurn: 0.01, overallMonthlyChurn: 0.0312,
                mrrKeptPerYear: 1_000))
        let html = HTMLReport.render(model)
        XCTAssertTrue(html.contains("<td class=\"wrap\">\(long)</td>"), html)
        XCTAssertFalse(html.contains("class=\"wrap\">acquisition channel<"))
        XCTAssertTrue(Stylesheet.css.contains("td.wrap { white-space: normal; overflow-wrap: anywhere;"))
        XCTAssertTrue(HTMLReport.holdsLongWord("partner_referral_program_2024_q3"))
        XCTAssertFalse(HTMLReport.holdsLongWord("Weighted (complete cells) of the organic channel"))
        XCTAssertFalse(HTMLReport.holdsLongWord(String(repeating: "継", count: 60)))
    }

    /// A reject's raw line reads in its byte order in both reports: the fields after an Arabic
    /// one no longer join its right-to-left run.
    func testARejectLineReadsInItsByteOrder() {
        let line = "S0000148-002,C0000148,core,مؤسسة,2024-06-12,,,-44655.60,year,USD"
        var model = SampleReportModel.make(locale: .en)
        model.dataQuality?.rejectReasons = [
            RejectReasonRow(source: "subscriptions", reason: "amount: negative amount", count: 2, exampleLine: line)
        ]
        XCTAssertTrue(
            HTMLReport.render(model).contains(
                "<td class=\"code\"><bdi dir=\"ltr\">S0000148-002,C0000148,core,<bdi>مؤسسة</bdi>,2024-06-12,"))
        XCTAssertTrue(
            MarkdownReport.render(model).contains(
                "| \u{2066}S0000148-002,C0000148,core,\u{2068}مؤسسة\u{2069},2024-06-12,,,-44655.60,year,USD\u{2069} |"))
    }

    /// A value next to a bar is shown with the decimals it takes not to read as the bar: 0.9996
    /// beside "below 100%" is 99.96%, not 100.0%; values away from a bar, and one on it, keep one
    /// decimal.
    func testAValueJustOffABarIsNotRoundedOntoIt() {
        let f = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        XCTAssertEqual(f.value(0.9996, kind: .percent, bars: [1.2, 1.0]), "99.96%")
        XCTAssertEqual(f.value(1.00004, kind: .percent, bars: [1.2, 1.0]), "100.004%")
        XCTAssertEqual(f.value(0.99999999, kind: .percent, bars: [1.0]), "100.0%", "at most four more decimals")
        XCTAssertEqual(f.value(1.0, kind: .percent, bars: [1.2, 1.0]), "100.0%")
        XCTAssertEqual(f.value(0.95, kind: .percent, bars: [1.2, 1.0]), "95.0%")
        XCTAssertEqual(f.value(0.0999, kind: .percent, bars: [0.10, 0.15]), "9.99%")
        XCTAssertEqual(f.value(1000.004, kind: .number, bars: [1000]), "1,000.004")
        XCTAssertEqual(f.value(999, kind: .number, bars: [1000]), "999")

        var model = SampleReportModel.make(locale: .en)
        model.kpis[0].value = 0.9996
        model.kpis[0].band = .bad
        model.checks[0].actual = 0.9996
        model.checks[0].passed = false
        for page in [
            MarkdownReport.render(model), HTMLReport.render(model), SummaryMarkdown.render(model, fullReport: []),
        ] {
            XCTAssertTrue(page.contains("99.96%"), page)
            let nrrLines = page.split(separator: "\n").filter { $0.contains("Net revenue retention (NRR)") }
            XCTAssertFalse(nrrLines.isEmpty)
            XCTAssertFalse(
                nrrLines.contains { $0.contains("| 100.0% |") || $0.contains(">100.0%<") }, "NRR 0.9996 shown as 100.0%"
            )
        }
        model.kpis = [model.kpis[0]]  // the NRR sentence among the two widest gaps
        let summary = SummaryMarkdown.render(model, fullReport: [])
        XCTAssertTrue(summary.contains("is 99.96%, 0.04 points below the 100% bar"), summary)
    }

    /// A rate of a handful of customers, or of one or two months, gets no verdict: the band is
    /// withheld, the report says why, and the summary's sentences leave it out.
    func testAThinBaseGetsNoVerdict() {
        func kpis(base: Int, active: Int, months: Int, monthlyBase: Int? = nil) -> KPIsRecord {
            KPIsRecord(
                asOf: "2024-12-31", lastMonth: "2024-12", currency: "JPY", minorUnits: 0, activeCustomers: active,
                mrrMinor: 1_000, arpaMinor: 100, nrrTrailing12m: 1.3, grrTrailing12m: 0.9, logoChurnTrailing12m: 0.1,
                upsellRateTrailing12m: nil, crossSellRateTrailing12m: nil, trailing12mBaseCustomers: base,
                logoChurnMonthly: 0, logoChurnMonthlyMonths: months, logoChurnMonthlyBaseCustomers: monthlyBase,
                logoChurnAnnual: 0, ltvChurnMinor: nil, restrictedMeanLifetimeMonths: nil, ltvSurvivalMinor: nil,
                projectedLogoChurn12m: nil, projectedNRR12m: nil)
        }
        // Churn is judged on the customers its monthly rates are of, not on those still paying:
        // 40 customers who all left are "40 of 30", not "0 of 30".
        XCTAssertNil(MetricCatalog.thinBase("logo_churn_annual", kpis(base: 0, active: 0, months: 12, monthlyBase: 40)))
        XCTAssertEqual(
            MetricCatalog.thinBase("logo_churn_monthly", kpis(base: 0, active: 90, months: 12, monthlyBase: 29)),
            .customers(29))
        // Projections carry the observed months forward: none without three of them.
        XCTAssertEqual(MetricCatalog.thinBase("projected_nrr_12m", kpis(base: 99, active: 40, months: 0)), .months(0))
        XCTAssertEqual(
            MetricCatalog.thinBase("nrr_trailing_12m", kpis(base: 29, active: 99, months: 12)), .customers(29))
        XCTAssertNil(MetricCatalog.thinBase("nrr_trailing_12m", kpis(base: 30, active: 1, months: 1)))
        XCTAssertEqual(MetricCatalog.thinBase("logo_churn_annual", kpis(base: 99, active: 99, months: 2)), .months(2))
        XCTAssertEqual(
            MetricCatalog.thinBase("logo_churn_monthly", kpis(base: 99, active: 29, months: 12)), .customers(29))
        XCTAssertNil(MetricCatalog.thinBase("logo_churn_monthly", kpis(base: 0, active: 30, months: 3)))
        XCTAssertEqual(
            MetricCatalog.thinBase("projected_nrr_12m", kpis(base: 99, active: 1, months: 12)), .customers(1))
        XCTAssertNil(MetricCatalog.thinBase("projected_logo_churn_12m", kpis(base: 0, active: 30, months: 3)))
        XCTAssertNil(MetricCatalog.thinBase("mrr_minor", kpis(base: 0, active: 0, months: 0)))

        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            model.kpis = [model.kpis[0]]
            model.kpis[0].value = 1.246
            let healthy = SummaryMarkdown.render(model, fullReport: [])
            XCTAssertTrue(healthy.contains("124.6%"), "\(locale): the NRR sentence with a verdict")
            model.kpis[0].band = .none
            model.kpis[0].bandText = ""
            model.kpis[0].thinBase = .customers(5)
            let words = locale == .en ? "Too few customers to judge (5 of at least 30)" : "判定には顧客が少なすぎます（5 人"
            for page in [
                MarkdownReport.render(model), HTMLReport.render(model), SummaryMarkdown.render(model, fullReport: []),
            ] {
                XCTAssertTrue(page.contains(words), "\(locale)")
            }
            let summary = SummaryMarkdown.render(model, fullReport: [])
            XCTAssertFalse(summary.contains("120%"), "\(locale): no bar sentence on a thin base: \(summary)")
        }
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
        // Every active account in a level the model set aside: the empty table says so.
        m.cox.model?.setAside = [DimensionLevel(dimension: "plan", level: "enterprise")]
        let aside = "Accounts in plan: enterprise are not scored: nobody there has churned yet"
        XCTAssertTrue(HTMLReport.render(m).contains(aside), "empty table names the set-aside level")
    }

    /// The Cox summary counts one customer and one churn event in the singular.
    func testCoxLineCountsInTheSingular() {
        let f = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        let t = Localizer(locale: .en)
        XCTAssertEqual(
            t.coxModelLine(CoxModelInfo(n: 1, events: 0, concordance: nil, converged: false), f),
            "1 customer, 0 churn events, concordance —.")
        XCTAssertEqual(
            t.coxModelLine(CoxModelInfo(n: 2, events: 1, concordance: 0.5, converged: true), f),
            "2 customers, 1 churn event, concordance 0.500.")
        XCTAssertEqual(
            t.coxModelLine(CoxModelInfo(n: 1_200, events: 3, concordance: nil, converged: true), f),
            "1,200 customers, 3 churn events, concordance —.")
    }

    /// The pipeline's buckets read in the report's language wherever a value, a channel or an exit
    /// reason is shown; English keeps their names, and an input label escaped apart from a bucket
    /// (`\\(other)`) is shown as it is.
    func testBucketNamesReadInTheReportsLanguage() {
        let ja = Localizer(locale: .ja)
        let en = Localizer(locale: .en)
        for (bucket, japanese) in [
            ("(other)", "（その他）"), ("(unknown)", "（不明）"), ("(unmapped)", "（未分類）"), ("(no reason given)", "（理由の記載なし）"),
        ] {
            XCTAssertEqual(ja.valueName(bucket), japanese)
            XCTAssertEqual(ja.channelName(bucket), japanese)
            XCTAssertEqual(ja.reasonName(bucket), japanese)
            XCTAssertEqual(en.valueName(bucket), bucket)
            XCTAssertEqual(en.reasonName(bucket), bucket)
        }
        XCTAssertEqual(ja.valueName("\\(other)"), "\\(other)")
        XCTAssertEqual(ja.reasonName("too_expensive"), "too_expensive")
        XCTAssertEqual(ja.reasonName("(all)"), "(all)")
        var model = SampleReportModel.make(locale: .ja)
        model.reasons.categories.append(ReasonCategoryRow(category: "(unmapped)", customers: 1, churnedMRR: 9_800))
        model.reasons.rows.append(
            ReasonRow(
                category: "(unmapped)", reason: "(no reason given)", channel: "(other)", customers: 1, churnedMRR: 9_800
            )
        )
        let md = MarkdownReport.render(model)
        XCTAssertTrue(md.contains("| （未分類） | 1 | 9,800円 |"), md)
        XCTAssertTrue(md.contains("| （その他） | （未分類） | （理由の記載なし） | 1 | 9,800円 |"), md)
        XCTAssertTrue(md.contains("（その他）は単独で示すには"), md)
        let html = HTMLReport.render(model)
        XCTAssertTrue(html.contains(">（未分類）</text>"), "the bar chart's label")
        for page in [md, html] {
            XCTAssertFalse(page.contains("(unmapped)") || page.contains("(other)") || page.contains("(no reason"))
        }
    }

    /// A backtest that compared no cell shows no table of zero-cell rows but says why: its cut-off
    /// falls before the first signup month, or nothing projected then has been observed since.
    func testAnEmptyBacktestSaysWhyInsteadOfATableOfZeros() {
        let early = EmptyBacktest(cutoff: "2023-12", firstCohort: "2024-01")
        let later = EmptyBacktest(cutoff: "2024-06", firstCohort: "2024-01")
        XCTAssertTrue(early.beforeData)
        XCTAssertFalse(later.beforeData)
        XCTAssertTrue(EmptyBacktest(cutoff: "2024-06", firstCohort: nil).beforeData)
        let expected: [ReportLocale: [String]] = [
            .en: [
                "No backtest yet: it would project from the end of 2023-12, before the earliest first subscription month in the data (2024-01), so there is nothing to compare.",
                "No backtest yet: no cell projected from the end of 2024-06 has been observed since, so there is nothing to compare.",
            ],
            .ja: [
                "バックテストはまだありません。予測し直す時点（2023年12月末）がデータの最初の契約開始月（2024年1月）より前のため、比べるものがありません。",
                "バックテストはまだありません。2024年6月末の時点から予測したセルのうち、その後に観測されたものがないため、比べるものがありません。",
            ],
        ]
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            let (t, f) = (model.localizer, model.formatter)
            XCTAssertEqual([t.emptyBacktestLine(early, f), t.emptyBacktestLine(later, f)], expected[locale])
            model.backtest = (Array(1...6) + [0]).map {
                BacktestRow(
                    horizon: $0, cells: 0, logoMAEPoints: nil, logoCoverage: nil, revenueMAEPoints: nil,
                    revenueCoverage: nil)
            }
            let header = t(.cellsCompared)
            XCTAssertTrue(MarkdownReport.render(model).contains("| \(header) |"), "\(locale): no reason, the table")
            model.emptyBacktest = early
            let md = MarkdownReport.render(model)
            let html = HTMLReport.render(model)
            XCTAssertTrue(md.contains(Escaping.markdown(t.emptyBacktestLine(early, f))), "\(locale)")
            XCTAssertTrue(html.contains(t.emptyBacktestLine(early, f)), "\(locale)")
            XCTAssertFalse(md.contains("| \(header) |") || html.contains(">\(header)</th>"), "\(locale): no table")
        }
    }

    /// Set-aside term names split back into dimension and level by the model's dimensions, the
    /// longest first: "a=b=c" with dimensions "a" and "a=b" is level "c" of "a=b".
    func testSetAsideNamesSplitByTheModelsDimensions() {
        let levels = CoxModelInfo.levels(
            ["plan=enterprise", "a=b=c", "region=x=y", "gone=z"], dimensions: ["plan", "a", "a=b", "region"])
        XCTAssertEqual(levels.map(\.dimension), ["plan", "a=b", "region", ""])
        XCTAssertEqual(levels.map(\.level), ["enterprise", "c", "x=y", "gone=z"])
    }

    /// Every reason group ingest writes reads in Japanese in a Japanese report, the field kept as
    /// written; English reports and text ingest did not group stay as they are.
    func testRejectReasonsReadInTheReportsLanguage() {
        let ja = Localizer(locale: .ja)
        let en = Localizer(locale: .en)
        let cases = [
            ("customer_id: unknown customer (not in customers or subscriptions)", "customer_id: 顧客マスタにも契約にもない顧客"),
            ("plan: plan contains an invisible or control character", "plan: plan に不可視文字・制御文字が含まれる"),
            ("customer_id: customer_id is longer than 200 characters", "customer_id: customer_id が 200 文字を超える"),
            ("start_date: not a date in format yyyy-MM-dd", "start_date: 日付の形式（yyyy-MM-dd）ではない"),
            ("end_date: no such day in the calendar", "end_date: 暦に存在しない日付"),
            ("event: event is empty", "event: event が空"),
            ("date: outside the plausible dates (ingest.date_range)", "date: 想定される日付の範囲外（ingest.date_range）"),
            ("end_date: end_date is before start_date", "end_date: end_date が start_date より前"),
            ("billing_period: amount without a billing_period", "billing_period: amount に billing_period がない"),
            (
                "billing_period: expected month, quarter, year or a whole number of months",
                "billing_period: 請求期間が month・quarter・year・月数のいずれでもない"
            ),
            ("mrr: neither mrr nor amount is given", "mrr: mrr も amount もない"),
            ("amount: not a number", "amount: 数値ではない"),
            ("mrr: negative amount", "mrr: 負の金額"),
            ("currency: unknown currency: no rate in currency.rates", "currency: 未知の通貨（currency.rates にレートがない）"),
            ("mrr: MRR above the limit of 10^15 minor units", "mrr: MRR が上限（10^15 最小単位）を超える"),
            (
                "subscription_id: duplicate subscription_id with different values",
                "subscription_id: subscription_id が重複し、値が異なる"
            ),
        ]
        for (reason, japanese) in cases {
            XCTAssertEqual(ja.rejectReason(reason), japanese)
            XCTAssertEqual(en.rejectReason(reason), reason)
        }
        let unreadable = "(row): row has 3 fields, expected 10"
        XCTAssertEqual(ja.rejectReason(unreadable), unreadable)
    }

    /// The data-quality tables name a source by its key in pipeline.json; in Japanese after its
    /// Japanese name. Only the four sources have one.
    func testSourcesAreNamedInTheReportsLanguageWithTheirKey() {
        let ja = Localizer(locale: .ja)
        let en = Localizer(locale: .en)
        for (key, japanese) in [
            ("customers", "顧客（customers）"), ("subscriptions", "契約（subscriptions）"),
            ("cancellations", "解約（cancellations）"), ("events", "イベント（events）"),
        ] {
            XCTAssertEqual(ja.sourceName(key), japanese)
            XCTAssertEqual(en.sourceName(key), key)
        }
        XCTAssertEqual(ja.sourceName("(row)"), "(row)")
    }

    /// The header's data coverage names each source as the data-quality tables do: in Japanese by
    /// its Japanese name and key, with the dates as the header writes them.
    func testCoverageLineNamesSourcesAsTheDataQualityTablesDo() {
        var model = SampleReportModel.make(locale: .ja)
        model.coverage = [
            Manifest.Coverage(source: "customers", first: "2024-01-15", last: "2024-01-15"),
            Manifest.Coverage(source: "subscriptions", first: "2024-01-15", last: "2024-02-01"),
            Manifest.Coverage(source: "events", first: nil, last: nil),
        ]
        XCTAssertEqual(
            model.coverageLine(),
            "データの期間 — 顧客（customers）2024年1月15日 – 2024年1月15日、契約（subscriptions）2024年1月15日 – 2024年2月1日")
        model.locale = .en
        XCTAssertEqual(
            model.coverageLine(),
            "Data covers customers 2024-01-15 – 2024-01-15; subscriptions 2024-01-15 – 2024-02-01")
    }

    /// Without a wall-clock time the footer names the as_of and the last date in the data, in
    /// Japanese as the header writes dates and without a space before the particle.
    func testFooterWritesDatesAsTheHeaderDoes() throws {
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            model.provenance?.runTimestamp = nil
            model.provenance?.dataThrough = "2024-01-15"
            let footer =
                locale == .en
                ? "Generated for as_of 2024-12-31 (data through 2024-01-15) by cohort-pipeline 0.1.0."
                : "基準日 2024年12月31日・データ最終日 2024年1月15日の時点で cohort-pipeline 0.1.0 により生成。"
            XCTAssertTrue(MarkdownReport.render(model).contains("*" + Escaping.markdown(footer) + "*"), "\(locale)")
            XCTAssertTrue(HTMLReport.render(model).contains("<footer><p>\(footer)</p></footer>"), "\(locale)")
            model.provenance?.dataThrough = nil
            let p = try XCTUnwrap(model.provenance)
            XCTAssertEqual(
                model.localizer.footer(p, model.formatter),
                locale == .en
                    ? "Generated for as_of 2024-12-31 by cohort-pipeline 0.1.0."
                    : "基準日 2024年12月31日の時点で cohort-pipeline 0.1.0 により生成。")
        }
    }

    /// Only activation is held to the 80% onboarding bar: an activation rate of 75% is marked,
    /// adoption at 10% and expansion at 20% (no bar the field shares) are not.
    func testOnlyActivationIsMarkedAgainstTheOnboardingBar() {
        let t = Localizer(locale: .en)
        let f = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        let row = PhaseRow(
            cohort: "2024-01", customers: 20, activation: PhaseCount(customers: 20, reached: 15, rate: 0.75),
            adoption: PhaseCount(customers: 20, reached: 2, rate: 0.1),
            expansion: PhaseCount(customers: 20, reached: 4, rate: 0.2))
        XCTAssertEqual(
            t.phaseCells(row, f), ["2024-01", "20", "▼ 75.0% (15 / 20)", "10.0% (2 / 20)", "20.0% (4 / 20)"])
        var met = row
        met.activation = PhaseCount(customers: 20, reached: 16, rate: 0.8)
        XCTAssertEqual(t.phaseCells(met, f)[2], "80.0% (16 / 20)", "at the bar is not below it")
        // In HTML the mark is hidden from screen readers, which hear what it means instead.
        var model = SampleReportModel.make(locale: .en)
        model.phases = [row]
        let html = HTMLReport.render(model)
        XCTAssertTrue(
            html.contains(
                "<td><span aria-hidden=\"true\">▼</span> <span class=\"vh\">below the bar: </span>75.0% (15 / 20)</td>"
            ), html)
    }
}

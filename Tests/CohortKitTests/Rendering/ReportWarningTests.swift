import XCTest

@testable import CohortKit

/// The data-quality warnings in the report's language: English as the stages wrote them,
/// Japanese worded from each warning's kind.
final class ReportWarningTests: XCTestCase {
    private let ja = Localizer(locale: .ja)
    private let jaFormat = ReportFormatter(locale: .ja, currency: "JPY", minorUnits: 0)

    func testEveryKindReadsInJapanese() {
        let expected = [
            "raw/customers.csv: acquisition_channel の列「acquisition_channel」がありません。顧客 3,000 社がすべて（不明）に入ります。sources.customers の \"columns\" に {\"acquisition_channel\": \"<列名>\"} と書いて、正しい列を対応付けてください。",
            "raw/subs.csv: end_date の列「end」がありません。契約 40 件がすべて終了日なしとなり、誰も解約しません。sources.subscriptions の \"columns\" に {\"end_date\": \"<列名>\"} と書いて、正しい列を対応付けてください。",
            "raw/events.jsonl: 任意のソースイベント（events）のファイルが見つからなかったため、この実行にはイベントのデータがありません。ファイルがあるはずなら sources.events.path を確認してください。",
            "as_of（2024年12月31日）はデータの最終日（2024年1月15日）の 351 日後です。終了日のない契約は as_of まで課金が続いたものとして数えるため、解約率と LTV が実際より良く見えます。as_of（または --as-of）をデータの終わりに合わせるか、エクスポートが最新か確認してください。",
            "as_of（2024年12月31日）はデータの最終日（2024年1月15日）の 351 日後です。as_of の時点で続いている契約がないため、それまでにすべての顧客が離脱したものとして数え、データより後の月には新規顧客が現れません。as_of（または --as-of）をデータの終わりに合わせるか、エクスポートが最新か確認してください。",
            "as_of（2024年12月31日）はデータの最終日（2024年1月15日）の 351 日後です。終了日のない契約は as_of まで課金が続いたものとして数えるため、解約率と LTV が実際より良く見えます。as_of（または --as-of）をデータの終わりに合わせるか、エクスポートが最新か確認してください。",
            "ingest が読み込んだ後にソースが変わったか、ingest の出力がここで ingest が書いたものではありません（raw/customers.csv: 現在 1,234 バイト、読み込み時 1,200 バイト；raw/subscriptions.csv: 現在は見つからない、読み込み時 98,765 バイト）。この数値は ingest が読み込んだ時点のデータによるものです。make（または ingest とそれ以降のすべてのステージ）を実行して更新してください。",
            "ingest が読み込んだ後にソースが変わったか、ingest の出力がここで ingest が書いたものではありません。この数値は ingest が読み込んだ時点のデータによるものです。make（または ingest とそれ以降のすべてのステージ）を実行して更新してください。",
            "as_of（2022年1月31日）は最初の契約の開始日（2023年1月4日）より前です。まだ顧客がいないため、すべての指標が空になります。as_of（または --as-of）をデータの期間内の日付にしてください。",
            "課金のある 1 社の signup_date が as_of（2024年6月30日）より後の月です（C7：2024年9月1日）。cohort_basis が signup_date のため、そのコホートにはまだ観測された月がなく、どの継続率の表にも入りません。登録日を確認するか、cohort_basis を first_subscription にしてください。",
            "課金のある 1,204 社の signup_date が as_of（2024年6月30日）より後の月です（C7：2024年9月1日）。cohort_basis が signup_date のため、そのコホートにはまだ観測された月がなく、どの継続率の表にも入りません。登録日を確認するか、cohort_basis を first_subscription にしてください。",
            "raw/subs.csv: currency の列「currency」がありません。金額は sources.subscriptions.currency の通貨、その設定がなければレポート通貨として読み込まれます。ファイルには列「Currency Code」があります。これがその列なら、sources.subscriptions の \"columns\" に {\"currency\": \"Currency Code\"} と書いて対応付けてください。",
            "raw/customers.csv: 見出し行に名前のない列が 2 列あり、その 15 個の値は読み込まれません。属性として残すには列に名前を付けてください。",
            "raw/customers.csv: 見出し行に名前のない列が 1 列あり、その 1 個の値は読み込まれません。属性として残すには列に名前を付けてください。",
            "raw/customers.csv: 属性の値 1 件に、別の値と同じに見える文字があります（3 行目、region「Kanto\\u200b」：6 文字目の U+200B ZERO WIDTH SPACE）。書かれたとおりに残すため、解約要因分析ではそれぞれが別のセグメントになります。エクスポートで修正してください。",
            "raw/customers.csv: 属性の値 40 件に、別の値と同じに見える文字があります（9 行目、sales_rep「\u{0410}nna」：1 文字目の U+0410 CYRILLIC CAPITAL LETTER A、「Anna」のように見えます）。書かれたとおりに残すため、解約要因分析ではそれぞれが別のセグメントになります。エクスポートで修正してください。",
            "raw/subs.csv: mrr の値 1 件が、通貨の補助単位より多くの小数桁で書かれています（4 行目：1.234 JPY、小数 0 桁の通貨）。書かれたとおりに読み、換算後に丸めます。エクスポートが千の位の区切りにピリオドを使う（1.234 で千二百三十四）なら、その金額は千分の一として読まれています。区切りなしで書いてください。",
            "raw/subs.csv: amount の値 12,000 件が、通貨の補助単位より多くの小数桁で書かれています（2 行目：49.995 USD、小数 2 桁の通貨）。書かれたとおりに読み、換算後に丸めます。エクスポートが千の位の区切りにピリオドを使う（1.234 で千二百三十四）なら、その金額は千分の一として読まれています。区切りなしで書いてください。",
            "raw/subs.csv: 契約 1 件で mrr が 0、amount が 0 より大きくなっています（7 行目：mrr 0、amount 49.00）。mrr を優先するため、これらは無料の契約として扱われ、MRR も解約も数えられません。mrr の列が各契約の現在の MRR（解約後は 0 と書くエクスポートがあります）なら、amount と billing_period を対応付け、mrr は外してください。",
            "raw/subs.csv: 契約 1,200 件で mrr が 0、amount が 0 より大きくなっています（2 行目：mrr 0.00、amount 120）。mrr を優先するため、これらは無料の契約として扱われ、MRR も解約も数えられません。mrr の列が各契約の現在の MRR（解約後は 0 と書くエクスポートがあります）なら、amount と billing_period を対応付け、mrr は外してください。",
            "raw/subs.csv: subscriptions のファイルに行がありません（見出し行のみ）。課金している顧客がいないため、すべての指標が空になります。エクスポートを確認してください。",
            "raw/subs.csv: subscriptions のファイルに受け付けた行がありません（1,500 行を読み、すべて除外）。課金している顧客がいないため、すべての指標が空になります。エクスポートを確認してください。",
        ]
        XCTAssertEqual(DataWarningTests.kinds.map { ja.warning(DataWarning($0), jaFormat) }, expected)
    }

    /// Each optional column's consequence has its Japanese words; a field with none says the field
    /// is empty, as in English.
    func testEveryConsequenceReadsInJapanese() {
        let fields: [(PipelineConfig.SourceKind, String)] = [
            (.customers, "acquisition_channel"), (.customers, "signup_date"), (.subscriptions, "end_date"),
            (.subscriptions, "plan"), (.subscriptions, "product"), (.cancellations, "reason"),
        ]
        for (source, field) in fields {
            XCTAssertNotNil(DataWarnings.consequence(source, field, rows: 5), "\(source) \(field)")
            let words = Localizer.japaneseConsequence(source, field, rows: "5", unknown: "（不明）")
            // No English left but the names of settings and values.
            let prose = words.replacingOccurrences(
                of: "signup_date|cohort_basis|default", with: "", options: .regularExpression)
            XCTAssertNil(prose.range(of: "[A-Za-z]{3,}", options: .regularExpression), words)
            XCTAssertNotEqual(words, "この項目は空になります", "\(source) \(field)")
        }
        XCTAssertEqual(Localizer.japaneseConsequence(.events, "event", rows: "5", unknown: ""), "この項目は空になります")
    }

    /// English shows the sentence as written; so does Japanese for a warning without a kind (from a
    /// manifest written before kinds were recorded).
    func testEnglishAndKindlessWarningsAreShownAsWritten() {
        let en = Localizer(locale: .en)
        let enFormat = ReportFormatter(locale: .en, currency: "JPY", minorUnits: 0)
        for kind in DataWarningTests.kinds {
            XCTAssertEqual(en.warning(DataWarning(kind), enFormat), kind.english)
        }
        let older = DataWarning(text: "as_of 2024-12-31 is 351 days after the last date in the data (2024-01-15): …")
        XCTAssertEqual(ja.warning(older, jaFormat), older.text)
    }

    /// Both report formats show the warnings in the report's language.
    func testReportsShowWarningsInTheirLanguage() {
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            model.dataQuality?.warnings = [DataWarning(DataWarningTests.kinds[3])]
            let sentence =
                locale == .en
                ? "as_of 2024-12-31 is 351 days after the last date in the data (2024-01-15)"
                : "as_of（2024年12月31日）はデータの最終日（2024年1月15日）の 351 日後です。"
            XCTAssertTrue(MarkdownReport.render(model).contains("- " + Escaping.markdown(sentence)), "\(locale)")
            XCTAssertTrue(HTMLReport.render(model).contains("<li>" + sentence), "\(locale)")
        }
    }

    /// The texts naming a cohort's month say what it is: the month of the first subscription
    /// (the default cohort basis) or of the signup date (`cohort_basis: signup_date`), in English
    /// and Japanese, in the pages and the summary alike.
    func testCohortMonthsAreNamedByTheCohortBasis() {
        let expected: [(ReportLocale, Bool, String, String)] = [
            (.en, false, "Retention by first subscription month", "Months since first subscription"),
            (.en, true, "Retention by signup month", "Months since signup"),
            (.ja, false, "契約開始月別の継続率", "契約開始からの経過月数"),
            (.ja, true, "登録月別の継続率", "登録からの経過月数"),
        ]
        for (locale, bySignup, heading, axis) in expected {
            var model = SampleReportModel.make(locale: locale)
            model.cohortsBySignup = bySignup
            let t = model.localizer
            XCTAssertEqual(t(.retention), heading)
            XCTAssertEqual(t(.monthsSinceSignup), axis)
            let html = HTMLReport.render(model)
            XCTAssertTrue(html.contains(heading), "\(locale) \(bySignup)")
            XCTAssertTrue(html.contains(axis), "\(locale) \(bySignup)")
            let other = expected.first { $0.0 == locale && $0.1 != bySignup }!
            XCTAssertFalse(html.contains(other.2), "\(locale) \(bySignup)")
            XCTAssertTrue(MarkdownReport.render(model).contains(heading), "\(locale) \(bySignup)")
            XCTAssertTrue(
                SummaryMarkdown.render(model, fullReport: []).contains(
                    "| "
                        + (locale == .en
                            ? (bySignup ? "Signup month" : "First subscription month")
                            : (bySignup ? "登録月" : "契約開始月")) + " |"), "\(locale) \(bySignup)")
        }
    }

    /// summary.md (a pull-request comment) shows the warnings that change how every number reads
    /// before the numbers, and counts the others; without warnings it has no such section.
    func testSummaryLeadsWithTheWarningsThatChangeEveryNumber() {
        let missing = DataWarning(DataWarningTests.kinds[0])
        for locale in ReportLocale.allCases {
            var model = SampleReportModel.make(locale: locale)
            let t = model.localizer
            let heading = locale == .en ? "## ⚠️ Read with care" : "## ⚠️ 注意"
            model.dataQuality?.warnings = []
            // A source with more than 1% of its rows rejected leads too (the sample rejects 1 of
            // 23 customers); at 1% or less it does not.
            let rejectedCustomers =
                locale == .en
                ? "customers: 1 of 23 rows were rejected (4.3%), and every number here leaves them out"
                : "顧客（customers）: 23 行のうち 1 行（4.3%）を除外しました。"
            let leading = SummaryMarkdown.render(model, fullReport: [])
            XCTAssertTrue(
                leading.contains(heading + "\n\n- " + Escaping.markdown(rejectedCustomers)), "\(locale): \(leading)")
            model.dataQuality?.sources[0].read = 100
            XCTAssertFalse(SummaryMarkdown.render(model, fullReport: []).contains(heading), "\(locale)")
            // Other warnings alone are counted in a sentence, without the alarm.
            model.dataQuality?.warnings = [missing, missing]
            let counted = SummaryMarkdown.render(model, fullReport: [])
            XCTAssertFalse(counted.contains("⚠️"), "\(locale)")
            XCTAssertTrue(
                counted.contains(
                    Escaping.markdown(
                        locale == .en
                            ? "2 data-quality warnings are in the full report."
                            : "データ品質の警告が 2 件あります（詳細レポートを参照）。") + "\n"), "\(locale): \(counted)")
            for kind in [DataWarningTests.kinds[3], DataWarningTests.kinds[8], DataWarningTests.kinds[6]] {
                model.dataQuality?.warnings = [missing, DataWarning(kind)]
                let md = SummaryMarkdown.render(model, fullReport: [])
                let warning = "- " + Escaping.markdown(t.warning(DataWarning(kind), model.formatter))
                XCTAssertTrue(md.contains(heading + "\n\n" + warning + "\n"), "\(locale): \(md)")
                XCTAssertTrue(
                    md.contains(
                        Escaping.markdown(
                            locale == .en
                                ? "1 more data-quality warning is in the full report."
                                : "ほかにデータ品質の警告が 1 件あります（詳細レポートを参照）。")), "\(locale)")
                // Before the headline numbers.
                let kpis = md.range(of: "## " + Escaping.markdown(t(.kpis)))?.lowerBound ?? md.startIndex
                XCTAssertLessThan(md.range(of: heading)!.lowerBound, kpis, "\(locale)")
                XCTAssertFalse(md.contains(Escaping.markdown(t.warning(missing, model.formatter))), "\(locale)")
            }
        }
    }
}

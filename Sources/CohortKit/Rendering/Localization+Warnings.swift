/// The data-quality warnings in the report's language.
extension Localizer {
    /// A warning as the report shows it: in English the sentence the stage printed; in Japanese
    /// worded from its kind (a warning without one, from an older manifest, as written).
    func warning(_ w: DataWarning, _ f: ReportFormatter) -> String {
        guard locale == .ja, let kind = w.kind else { return w.text }
        switch kind {
        case .missingColumn(let source, let path, let field, let column, let rows, let near):
            let what = Self.japaneseConsequence(source, field, rows: f.integer(rows), unknown: valueName("(unknown)"))
            let map =
                near.map {
                    "ファイルには列「\($0)」があります。これがその列なら、sources.\(source.rawValue) の \"columns\" に {\"\(field)\": \"\($0)\"} と書いて対応付けてください。"
                }
                ?? "sources.\(source.rawValue) の \"columns\" に {\"\(field)\": \"<列名>\"} と書いて、正しい列を対応付けてください。"
            return "\(path): \(field) の列「\(column)」がありません。\(what)。\(map)"
        case .unnamedColumns(_, let path, let columns, let values):
            return
                "\(path): 見出し行に名前のない列が \(f.integer(columns)) 列あり、その \(f.integer(values)) 個の値は読み込まれません。属性として残すには列に名前を付けてください。"
        case .missingOptionalSource(let source, let path):
            let name = Self.japaneseSourceNames[source.rawValue] ?? source.rawValue
            return
                "\(path): 任意のソース\(sourceName(source.rawValue))のファイルが見つからなかったため、この実行には\(name)のデータがありません。ファイルがあるはずなら sources.\(source.rawValue).path を確認してください。"
        case .staleAsOf(let asOf, let last, let openAtAsOf):
            let consequence =
                openAtAsOf == 0
                ? "as_of の時点で続いている契約がないため、それまでにすべての顧客が離脱したものとして数え、データより後の月には新規顧客が現れません"
                : "終了日のない契約は as_of まで課金が続いたものとして数えるため、解約率と LTV が実際より良く見えます"
            return
                "as_of（\(f.date(asOf.description))）はデータの最終日（\(f.date(last.description))）の \(f.integer(asOf - last)) 日後です。\(consequence)。as_of（または --as-of）をデータの終わりに合わせるか、エクスポートが最新か確認してください。"
        case .asOfBeforeData(let asOf, let first):
            return
                "as_of（\(f.date(asOf.description))）は最初の契約の開始日（\(f.date(first.description))）より前です。まだ顧客がいないため、すべての指標が空になります。as_of（または --as-of）をデータの期間内の日付にしてください。"
        case .signupAfterAsOf(let asOf, let customers, let example, let signup):
            return
                "課金のある \(f.integer(customers)) 社の signup_date が as_of（\(f.date(asOf.description))）より後の月です（\(example)：\(f.date(signup.description))）。cohort_basis が signup_date のため、そのコホートにはまだ観測された月がなく、どの継続率の表にも入りません。登録日を確認するか、cohort_basis を first_subscription にしてください。"
        case .sourcesChanged(let resized):
            let sizes = resized.map {
                let now = $0.bytesNow.map { "現在 \(f.integer($0)) バイト" } ?? "現在は見つからない"
                return "\($0.path): \(now)、読み込み時 \(f.integer($0.bytesRead)) バイト"
            }
            let which = sizes.isEmpty ? "" : "（" + sizes.joined(separator: "；") + "）"
            return
                "ingest が読み込んだ後にソースが変わったか、ingest の出力がここで ingest が書いたものではありません\(which)。この数値は ingest が読み込んだ時点のデータによるものです。make（または ingest とそれ以降のすべてのステージ）を実行して更新してください。"
        case .lookAlikeAttributes(
            let path, let values, let column, let line, let value, let character, let position, let looksLike):
            let looks = looksLike.map { "、「\($0)」のように見えます" } ?? ""
            return
                "\(path): 属性の値 \(f.integer(values)) 件に、別の値と同じに見える文字があります（\(f.integer(line)) 行目、\(column)「\(value)」：\(position) 文字目の \(character)\(looks)）。書かれたとおりに残すため、解約要因分析ではそれぞれが別のセグメントになります。エクスポートで修正してください。"
        case .excessDecimals(let path, let field, let rows, let line, let value, let currency, let minorUnits):
            return
                "\(path): \(field) の値 \(f.integer(rows)) 件が、通貨の補助単位より多くの小数桁で書かれています（\(f.integer(line)) 行目：\(value) \(currency)、小数 \(minorUnits) 桁の通貨）。書かれたとおりに読み、換算後に丸めます。エクスポートが千の位の区切りにピリオドを使う（1.234 で千二百三十四）なら、その金額は千分の一として読まれています。区切りなしで書いてください。"
        case .zeroMRRWithAmount(let path, let rows, let line, let mrr, let amount):
            return
                "\(path): 契約 \(f.integer(rows)) 件で mrr が 0、amount が 0 より大きくなっています（\(f.integer(line)) 行目：mrr \(mrr)、amount \(amount)）。mrr を優先するため、これらは無料の契約として扱われ、MRR も解約も数えられません。mrr の列が各契約の現在の MRR（解約後は 0 と書くエクスポートがあります）なら、amount と billing_period を対応付け、mrr は外してください。"
        case .noSubscriptions(let path, let read):
            let rows =
                read == 0
                ? "行がありません（見出し行のみ）"
                : "受け付けた行がありません（\(f.integer(read)) 行を読み、すべて除外）"
            return "\(path): subscriptions のファイルに\(rows)。課金している顧客がいないため、すべての指標が空になります。エクスポートを確認してください。"
        }
    }

    /// What an absent optional column does to the numbers (`DataWarnings.consequence` in
    /// Japanese); `rows` is the source's accepted rows as the report writes numbers, `unknown` the
    /// report's name for the `(unknown)` channel.
    static func japaneseConsequence(
        _ source: PipelineConfig.SourceKind, _ field: String, rows: String, unknown: String
    ) -> String {
        switch (source, field) {
        case (.customers, "acquisition_channel"): return "顧客 \(rows) 社がすべて\(unknown)に入ります"
        case (.customers, "signup_date"): return "signup_date のある顧客がいません（cohort_basis に signup_date は使えません）"
        case (.subscriptions, "end_date"): return "契約 \(rows) 件がすべて終了日なしとなり、誰も解約しません"
        case (.subscriptions, "plan"): return "契約 \(rows) 件のすべてにプランがありません"
        case (.subscriptions, "product"): return "契約 \(rows) 件がすべて 1 つの製品（default）になります"
        case (.cancellations, "reason"): return "解約 \(rows) 件のすべてに理由がありません"
        case (.subscriptions, "currency"):
            return "金額は sources.subscriptions.currency の通貨、その設定がなければレポート通貨として読み込まれます"
        default: return "この項目は空になります"
        }
    }
}

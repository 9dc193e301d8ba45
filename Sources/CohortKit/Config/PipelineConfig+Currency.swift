extension PipelineConfig {
    /// Whether `text` is three ASCII letters, in any case: the shape of every currency code the
    /// configuration may name (ingest rejects a data code of another shape, which no rate can name).
    static func isCurrencyCode(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }

    /// A currency code as the configuration writes it (`currency.report`, the keys of
    /// `currency.rates` and `currency.minor_units`): three ASCII letters in any case, returned in
    /// upper case, as ingest reads the codes in the data (`usd` there is `USD`). Anything else (an
    /// empty string, `US$`, `USDX`) is a `ConfigError` at `keyPath` that shows the text and
    /// ends with `hint`.
    static func currencyCode(_ text: String, file: String, keyPath: String, hint: String) throws -> String {
        guard isCurrencyCode(text) else {
            throw ConfigError(
                file: file, keyPath: keyPath,
                message: "\"\(shownInMessage(text))\" is not a currency code: expected three ASCII letters", hint: hint)
        }
        return text.uppercased()
    }

    /// The keys of `currency.rates` or `currency.minor_units` (`o`) in file order, each as
    /// written and as its currency code (`currencyCode`). A key that is not a code, or that names
    /// a currency an earlier key named in another case (`usd` after `USD`), is an error.
    static func currencyKeys(_ o: ConfigObject, file: String, example: String) throws -> [(key: String, code: String)] {
        var seen: [String: String] = [:]
        return try o.pairs.map { key, _ in
            let keyPath = o.keyPath(shownInMessage(key))
            let code = try currencyCode(
                key, file: file, keyPath: keyPath,
                hint:
                    "Name the currency by its three-letter code, as the data's currency column does (upper or lower case), for example \(example)."
            )
            if let first = seen[code] {
                throw ConfigError(
                    file: file, keyPath: keyPath,
                    message: "\"\(key)\" is the currency \(code), which \"\(first)\" names already",
                    hint: "Give each currency once (codes are read in upper case).")
            }
            seen[code] = key
            return (key, code)
        }
    }

    /// Text from the configuration file as a message shows it: control and invisible characters
    /// escaped (`KeyText.escaped`), and cut after 40 characters.
    static func shownInMessage(_ text: String) -> String {
        let escaped = KeyText.escaped(text)
        return escaped.count > 40 ? String(escaped.prefix(40)) + "…" : escaped
    }
}

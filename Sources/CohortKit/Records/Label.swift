/// Labels from input data (channels, plans, attribute values, cancellation reasons) kept apart
/// from the names the pipeline gives its own buckets.
///
/// A label that is exactly a bucket name (`(other)`, `(unknown)`, `(all)`, `(weighted)`,
/// `(unmapped)`, `(no reason given)`), or such a name preceded by one or more backslashes, gets one
/// more backslash in front: a channel literally called `(other)` becomes `\(other)` and stays a
/// channel of its own next to the pooled `(other)`, and `\(other)` becomes `\\(other)`, so no two
/// input labels become one. Every other label is kept as it is.
///
/// - Complexity: O(1) for labels that do not start with `(` or `\`, else O(length).
public enum Label {
    /// The names the pipeline uses for its own buckets and totals.
    public static let reserved: Set<String> = [
        "(other)", "(unknown)", "(all)", "(weighted)", "(unmapped)", "(no reason given)",
    ]

    /// The label as written to outputs: escaped when it would read as a bucket name.
    public static func fromInput(_ s: String) -> String {
        guard let first = s.utf8.first, first == UInt8(ascii: "(") || first == UInt8(ascii: "\\"),
            s.utf8.last == UInt8(ascii: ")")
        else { return s }
        let bare = s.drop { $0 == "\\" }
        return reserved.contains(String(bare)) ? "\\" + s : s
    }

    /// The text a label was read from: `fromInput` undone (`\(other)` → `(other)`).
    public static func toInput(_ label: String) -> String {
        guard label.utf8.first == UInt8(ascii: "\\") else { return label }
        let input = String(label.dropFirst())
        return fromInput(input) == label ? input : label
    }
}

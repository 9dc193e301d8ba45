extension JSONLReader {
    /// Calls `body` with a value's text, looked up by a key known only at run time (configurable
    /// column names): a string's content (unescaped), any other value as written, nil when the key
    /// is absent or the value is null. Plain strings are handed over in place, without copying.
    public func withValueBytes<R>(forKey key: [UInt8], _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let found = key.withUnsafeBufferPointer { k -> Int? in
            // An empty key may have no bytes to point at: any pointer compares zero bytes as equal.
            withUnsafePointer(to: UInt8(0)) { none in find(key: k.baseAddress ?? none, count: k.count) }
        }
        guard let found else { return body(nil) }
        let f = fields[found]
        switch f.kind {
        case .null:
            return body(nil)
        case .string where f.escaped:
            guard var s = stringValue(at: found) else { return body(nil) }
            return s.withUTF8 { body($0) }
        case .string:
            return lines.withBytes { b in
                body(
                    UnsafeBufferPointer(
                        rebasing: b[(lineStart + Int(f.valueStart) + 1)..<(lineStart + Int(f.valueEnd) - 1)]))
            }
        default:
            return lines.withBytes { b in
                body(UnsafeBufferPointer(rebasing: b[(lineStart + Int(f.valueStart))..<(lineStart + Int(f.valueEnd))]))
            }
        }
    }
}

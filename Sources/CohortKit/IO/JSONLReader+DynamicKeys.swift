#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension JSONLReader {
    /// Calls `body` with a value's text, looked up by a key known only at run time (configurable
    /// column names): a string's content (unescaped), any other value as written, nil when the key
    /// is absent or the value is null. Plain strings are handed over in place, without copying.
    public func withValueBytes<R>(forKey key: [UInt8], _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        let n = fields.count
        var found = -1
        lines.withBytes { b in
            key.withUnsafeBufferPointer { k in
                var idx = hint < n ? hint : 0
                for _ in 0..<n {
                    let f = fields[idx]
                    let ks = lineStart + Int(f.keyStart)
                    let ke = lineStart + Int(f.keyEnd)
                    if ke - ks == k.count, k.count == 0 || memcmp(b.baseAddress! + ks, k.baseAddress!, k.count) == 0 {
                        found = idx
                        hint = idx + 1
                        return
                    }
                    idx += 1
                    if idx == n { idx = 0 }
                }
            }
        }
        guard found >= 0 else { return body(nil) }
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

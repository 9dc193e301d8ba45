#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One paying subscription interval of a customer, `start <= d < end`, in integer days.
///
/// `end == PaidInterval.open` means the interval reaches past `as_of` (censored there).
public struct PaidInterval: Equatable, Sendable {
    public static let open = Int32.max

    public var start: Int32
    public var end: Int32
    public var mrrMinor: Int64
    /// Interned product name.
    public var product: Int32

    public var isOpen: Bool { end == PaidInterval.open }

    /// True when the interval covers day `d`.
    @inline(__always) public func covers(_ d: Int32) -> Bool { start <= d && d < end }
}

/// Interns strings to dense integer ids in first-seen order.
public struct StringTable: Sendable {
    public private(set) var names: [String] = []
    private var ids: [String: Int32] = [:]

    public init() {}

    public mutating func id(_ s: String) -> Int32 {
        if let i = ids[s] { return i }
        let i = Int32(names.count)
        names.append(s)
        ids[s] = i
        return i
    }

    /// The id of the string with these UTF-8 bytes. Tables of channels, plans and products are
    /// small: a scan comparing bytes beats hashing a new String on every row.
    public mutating func id(bytes b: UnsafeBufferPointer<UInt8>) -> Int32 {
        if names.count <= 32 {
            for (i, n) in names.enumerated() where n.utf8.count == b.count {
                var n = n
                if n.withUTF8({ u in b.count == 0 || memcmp(u.baseAddress!, b.baseAddress!, b.count) == 0 }) {
                    return Int32(i)
                }
            }
        }
        return id(String(decoding: b, as: UTF8.self))
    }

    public func lookup(_ s: String) -> Int32? { ids[s] }
    public subscript(i: Int32) -> String { names[Int(i)] }
    public var count: Int { names.count }
}
